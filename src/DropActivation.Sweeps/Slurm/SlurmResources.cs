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
}
