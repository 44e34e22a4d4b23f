using System.Globalization;
using System.Text.Json;

namespace DropActivation.Training.Logging;

/// <summary>
/// The per-epoch logs of a run folder: <c>metrics.csv</c> and <c>metrics.jsonl</c> (one JSON object
/// per line). <see cref="Reset"/> rewrites both from a checkpoint's history, so after a resume the
/// files hold exactly the epochs the weights have seen.
/// </summary>
public sealed class MetricsLog
{
    /// <summary>CSV column names.</summary>
    public const string CsvHeader = "epoch,train_loss,train_error,test_loss,test_error,test_top5_error,lr,seconds,train_seconds,test_seconds,rss_mib";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>Logs into <paramref name="runDir"/>.</summary>
    public MetricsLog(string runDir)
    {
        CsvPath = Path.Combine(runDir, "metrics.csv");
        JsonLinesPath = Path.Combine(runDir, "metrics.jsonl");
    }

    /// <summary>Path of metrics.csv.</summary>
    public string CsvPath { get; }

    /// <summary>Path of metrics.jsonl.</summary>
    public string JsonLinesPath { get; }

    /// <summary>Rewrites both files with <paramref name="history"/>.</summary>
    public void Reset(IEnumerable<EpochMetrics> history)
    {
        var list = history.ToList();
        File.WriteAllLines(CsvPath, new[] { CsvHeader }.Concat(list.Select(ToCsv)));
        File.WriteAllLines(JsonLinesPath, list.Select(m => JsonSerializer.Serialize(m, Compact)));
    }

    /// <summary>Appends one epoch to both files.</summary>
    public void Append(EpochMetrics m)
    {
        File.AppendAllLines(CsvPath, new[] { ToCsv(m) });
        File.AppendAllLines(JsonLinesPath, new[] { JsonSerializer.Serialize(m, Compact) });
    }

    /// <summary>Reads a run's metrics.jsonl.</summary>
    public static IReadOnlyList<EpochMetrics> ReadJsonLines(string path) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<EpochMetrics>(l) ?? throw new InvalidDataException($"{path}: empty line object"))
            .ToList();

    private static string ToCsv(EpochMetrics m) => string.Join(",",
        m.Epoch.ToString(CultureInfo.InvariantCulture), R(m.TrainLoss), R(m.TrainError), m.TestLoss is { } tl ? R(tl) : "", m.TestError is { } te ? R(te) : "",
        m.TestTop5Error is { } t5 ? R(t5) : "", R(m.LearningRate), m.Seconds.ToString("0.###", CultureInfo.InvariantCulture),
        Optional(m.TrainSeconds, "0.###"), Optional(m.TestSeconds, "0.###"), Optional(m.ResidentMiB, "0.#"));

    private static string Optional(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
