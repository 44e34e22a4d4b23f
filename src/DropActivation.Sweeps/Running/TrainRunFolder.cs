using System.Text.Json;

namespace DropActivation.Sweeps.Running;

/// <summary>
/// What a sweep reads from the files <c>dropact train</c> writes in a run folder (see
/// DropActivation.Training's RunFolder): <c>checkpoint.dact</c> (rewritten after every epoch),
/// <c>summary.json</c> (<c>"finished": true</c> once the last epoch is done) and <c>metrics.jsonl</c>.
/// </summary>
public static class TrainRunFolder
{
    /// <summary>The latest checkpoint's file name.</summary>
    public const string CheckpointFile = "checkpoint.dact";

    /// <summary>The outcome's file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The per-epoch metrics' file name.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>Whether train left a checkpoint to resume from.</summary>
    public static bool HasCheckpoint(string folder) => File.Exists(Path.Combine(folder, CheckpointFile));

    /// <summary>Whether train's summary says every epoch is done.</summary>
    public static bool IsFinished(string folder)
    {
        var path = Path.Combine(folder, SummaryFile);
        if (!File.Exists(path)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("finished", out var f) && f.ValueKind == JsonValueKind.True;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The wall-clock seconds of the completed epochs, training and test (the sum of metrics.jsonl's <c>seconds</c>; 0 when
    /// there is none): the machine time of the epochs the run kept, over all its starts and resumes. Process start-up and
    /// work lost to an interruption are not in it, so it is a lower bound of the time spent. Lines that cannot be read (a
    /// line being written) count nothing.
    /// </summary>
    public static double SecondsLogged(string folder)
    {
        var path = Path.Combine(folder, MetricsFile);
        if (!File.Exists(path)) return 0;
        double total = 0;
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("seconds", out var s)
                        && s.ValueKind == JsonValueKind.Number)
                        total += s.GetDouble();
                }
                catch (JsonException) { }
            }
        }
        catch (IOException) { }
        return total;
    }

    /// <summary>Completed epochs according to metrics.jsonl (0 when there is none).</summary>
    public static int EpochsLogged(string folder)
    {
        var path = Path.Combine(folder, MetricsFile);
        if (!File.Exists(path)) return 0;
        try { return File.ReadLines(path).Count(l => !string.IsNullOrWhiteSpace(l)); }
        catch (IOException) { return 0; }
    }
}
