namespace DropActivation.Sweeps.Slurm;

/// <summary>What Slurm says about one array task.</summary>
/// <param name="TaskId">"JOBID_INDEX".</param>
/// <param name="State">Slurm's job state: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAIL, OUT_OF_MEMORY, ...</param>
/// <param name="ExitCode">Slurm's "exit:signal" (e.g. "1:0"), or null when unknown.</param>
/// <param name="Reason">Slurm's reason (why pending), or null.</param>
public sealed record SlurmTaskInfo(string TaskId, string State, string? ExitCode, string? Reason)
{
    /// <summary>Waiting to run (or requeued).</summary>
    public bool IsPending => State is "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "CONFIGURING" or "RESV_DEL_HOLD" or "SUSPENDED";

    /// <summary>Running now.</summary>
    public bool IsRunning => State is "RUNNING" or "COMPLETING" or "STAGE_OUT" or "SIGNALING" or "RESIZING";
}
