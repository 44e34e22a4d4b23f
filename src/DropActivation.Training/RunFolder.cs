namespace DropActivation.Training;

/// <summary>The files of a run folder, in one place.</summary>
public sealed record RunFolder(string Path)
{
    /// <summary>The resolved options and versions (written at the start).</summary>
    public string Config => System.IO.Path.Combine(Path, "config.json");

    /// <summary>The latest checkpoint (rewritten atomically after every epoch).</summary>
    public string Checkpoint => System.IO.Path.Combine(Path, "checkpoint.dact");

    /// <summary>The checkpoint with the lowest test error so far.</summary>
    public string BestCheckpoint => System.IO.Path.Combine(Path, "best.dact");

    /// <summary>Per-epoch metrics as JSON lines.</summary>
    public string MetricsJsonLines => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary>Per-epoch metrics as CSV.</summary>
    public string MetricsCsv => System.IO.Path.Combine(Path, "metrics.csv");

    /// <summary>Which machine and build ran the run: one JSON line per start or resume (<see cref="Logging.MachineRecord"/>).</summary>
    public string Machine => System.IO.Path.Combine(Path, "machine.jsonl");

    /// <summary>The outcome (written when the run ends or stops).</summary>
    public string Summary => System.IO.Path.Combine(Path, "summary.json");
}
