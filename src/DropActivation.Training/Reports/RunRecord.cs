using System.Text.Json;
using DropActivation.Training.Logging;

namespace DropActivation.Training.Reports;

/// <summary>One run folder as a report sees it: its options (config.json) and per-epoch metrics (metrics.jsonl).</summary>
public sealed record RunRecord(string Path, TrainOptions Options, IReadOnlyList<EpochMetrics> Metrics)
{
    /// <summary>Test error after the last evaluated epoch (the last epoch of a finished run: it is always evaluated).</summary>
    public double FinalTestError => Metrics.Last(m => m.TestError is not null).TestError!.Value;

    /// <summary>Lowest test error of any evaluated epoch.</summary>
    public double BestTestError => Metrics.Where(m => m.TestError is not null).Min(m => m.TestError!.Value);

    /// <summary>Training error of the last completed epoch, measured during it (training mode: augmentation, random layers drawing).</summary>
    public double FinalTrainError => Metrics[^1].TrainError;

    /// <summary>Reads a run folder.</summary>
    /// <exception cref="InvalidDataException">config.json or metrics.jsonl is missing, unreadable or empty (the message names the file).</exception>
    public static RunRecord Load(string dir)
    {
        var folder = new RunFolder(dir);
        if (!File.Exists(folder.Config)) throw new InvalidDataException($"{folder.Config}: not found; '{dir}' is not a run folder");
        if (!File.Exists(folder.MetricsJsonLines)) throw new InvalidDataException($"{folder.MetricsJsonLines}: not found");
        TrainOptions options;
        IReadOnlyList<EpochMetrics> metrics;
        try
        {
            options = JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(folder.Config)) ?? throw new JsonException("empty");
            metrics = MetricsLog.ReadJsonLines(folder.MetricsJsonLines);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{dir}: unreadable config.json or metrics.jsonl ({e.Message})", e);
        }
        if (!metrics.Any(m => m.TestError is not null)) throw new InvalidDataException($"{folder.MetricsJsonLines}: no completed and evaluated epoch");
        return new RunRecord(dir, options, metrics);
    }

    /// <summary>
    /// The run folders at or below each of <paramref name="paths"/> (a folder holding config.json is a run; otherwise its
    /// subfolders are searched, e.g. OUT/seed-1, OUT/seed-2), in path order.
    /// </summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths)
    {
        var found = new List<string>();
        foreach (var p in paths)
        {
            if (!Directory.Exists(p)) throw new DirectoryNotFoundException($"{p}: folder not found");
            if (File.Exists(System.IO.Path.Combine(p, "config.json"))) { found.Add(p); continue; }
            found.AddRange(Directory.EnumerateFiles(p, "config.json", SearchOption.AllDirectories).Select(f => System.IO.Path.GetDirectoryName(f)!));
        }
        return found.Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
