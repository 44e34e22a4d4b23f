namespace DropActivation.Sweeps.Slurm;

/// <summary>What each array task asks Slurm for (null: the cluster's default). Values are passed to sbatch as written.</summary>
public sealed record SlurmResources
{
    /// <summary>--partition</summary>
    public string? Partition { get; init; }
    /// <summary>--time, e.g. "2-00:00:00" or "90".</summary>
    public string? Time { get; init; }
    /// <summary>--gpus per task.</summary>
    public int? Gpus { get; init; }
    /// <summary>--cpus-per-task</summary>
    public int? Cpus { get; init; }
    /// <summary>--mem, e.g. "16G".</summary>
    public string? Mem { get; init; }
    /// <summary>--account</summary>
    public string? Account { get; init; }
    /// <summary>At most this many tasks of the array at once (the "%N" of --array).</summary>
    public int? MaxRunning { get; init; }
    /// <summary>
    /// Seconds before the time limit at which Slurm sends SIGUSR1 to the task (<c>--signal=B:USR1@N</c>): the run
    /// checkpoints its position and the task requeues itself. Slurm may send it up to 30 s earlier still.
    /// </summary>
    public int WarnBeforeSeconds { get; init; } = DefaultWarnBeforeSeconds;
    /// <summary>How many times a task requeues itself at its time limit before it stops for good (0: never).</summary>
    public int MaxRequeues { get; init; } = DefaultMaxRequeues;

    /// <summary>Default of <see cref="WarnBeforeSeconds"/>: time to finish a step and write a checkpoint of a large model.</summary>
    public const int DefaultWarnBeforeSeconds = 120;
    /// <summary>Default of <see cref="MaxRequeues"/>.</summary>
    public const int DefaultMaxRequeues = 10;
    /// <summary>Slurm's event resolution: the warning may come this much earlier than asked (PERIODIC_TIMEOUT).</summary>
    public const int SignalResolutionSeconds = 30;

    /// <summary>Why these settings cannot work, or null when they can.</summary>
    public string? Problem()
    {
        if (WarnBeforeSeconds < 1) return "--warn-before must be at least 1 second.";
        if (MaxRequeues < 0) return "--max-requeues must not be negative.";
        if (MaxRunning is < 1) return "--max-running must be at least 1.";
        if (Cpus is < 1) return "--cpus must be at least 1.";
        if (Gpus is < 0) return "--gpus must not be negative.";
        if (Time is null) return null;
        long? limit;
        try { limit = SlurmTime.ParseSeconds(Time); }
        catch (FormatException e) { return "--time: " + e.Message + "."; }
        // The warning can come WarnBefore + 30 s before the end; the task needs some time to train before that.
        long least = WarnBeforeSeconds + SignalResolutionSeconds + 30;
        return limit is { } s && s < least
            ? $"--time {Time} ({s} s) leaves no time to train: Slurm sends the warning signal up to {WarnBeforeSeconds + SignalResolutionSeconds} s " +
              $"before the limit (--warn-before {WarnBeforeSeconds} plus Slurm's {SignalResolutionSeconds} s resolution); ask for at least {least} s or a smaller --warn-before."
            : null;
    }
}
