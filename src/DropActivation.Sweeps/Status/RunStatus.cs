using DropActivation.Sweeps.Planning;

namespace DropActivation.Sweeps.Status;

/// <summary>Where one run stands, and why (<see cref="SweepStatusReader"/>).</summary>
/// <param name="Run">The run.</param>
/// <param name="State">Its state.</param>
/// <param name="Detail">A short explanation for people (exit code, Slurm task, epochs).</param>
/// <param name="Record">The run folder's sweep-status.json, or null.</param>
/// <param name="SlurmTask">The Slurm array task ("JOBID_INDEX") that last took the run, or null.</param>
/// <param name="QueuedInSlurm">A Slurm task is (or may be) about to run it: run and submit leave it alone.</param>
public sealed record RunStatus(SweepRun Run, RunState State, string Detail, RunStatusRecord? Record, string? SlurmTask, bool QueuedInSlurm)
{
    /// <summary>Whether <c>sweep run</c> / <c>sweep submit</c> would start it (pending or failed, and not queued in Slurm).</summary>
    public bool NeedsRun => State is RunState.Pending or RunState.Failed && !QueuedInSlurm;
}
