namespace DropActivation.Sweeps.Status;

/// <summary>Where a run of a sweep stands.</summary>
public enum RunState
{
    /// <summary>Not started yet (or queued in Slurm).</summary>
    Pending,
    /// <summary>A live process (here, or a running Slurm task) is training it.</summary>
    Running,
    /// <summary>Trained to the last epoch; skipped by run and submit.</summary>
    Done,
    /// <summary>Ended with an error or was interrupted; run and submit retry it, resuming from its checkpoint.</summary>
    Failed,
    /// <summary>Its folder was made with other settings (another fingerprint); run and submit refuse to touch it.</summary>
    Conflict,
}
