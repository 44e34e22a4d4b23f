using DropActivation.Analysis;

namespace DropActivation.Cli;

/// <summary>Progress of an analysis as status lines: one per new step, with the overall percentage.</summary>
internal sealed class LineProgress(TextWriter writer) : IProgress<AnalysisProgress>
{
    private string? _last;

    /// <summary>Writes the report's line unless it repeats the last one.</summary>
    public void Report(AnalysisProgress value)
    {
        string line = $"[{100 * value.Fraction,3:0}%] {value.Task}: {value.Message}";
        if (line == _last) return;
        _last = line;
        writer.WriteLine(line);
        writer.Flush();
    }
}
