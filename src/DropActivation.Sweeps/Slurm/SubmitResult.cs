namespace DropActivation.Sweeps.Slurm;

/// <summary>What <see cref="SlurmSweepSubmitter.Submit"/> did.</summary>
/// <param name="JobId">Slurm's array job id, or null for a dry run.</param>
/// <param name="Script">The sbatch script written.</param>
/// <param name="FrozenSpec">The frozen spec the tasks read.</param>
/// <param name="Tasks">Array index → run id of the submitted runs.</param>
public sealed record SubmitResult(string? JobId, string Script, string FrozenSpec, IReadOnlyDictionary<int, string> Tasks);
