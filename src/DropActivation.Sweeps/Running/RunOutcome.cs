namespace DropActivation.Sweeps.Running;

/// <summary>What executing one run did.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Kind">Skipped (already done), Done, Failed, Interrupted (the sweep was stopped while it ran) or NotStarted.</param>
/// <param name="ExitCode">Exit code of <c>dropact train</c> (0 when skipped).</param>
/// <param name="Resumed">Whether it continued from a checkpoint.</param>
/// <param name="Seconds">Wall time of this attempt.</param>
/// <param name="Message">Why it failed, or null.</param>
public sealed record RunOutcome(string RunId, RunOutcomeKind Kind, int ExitCode, bool Resumed, double Seconds, string? Message);

/// <summary>The kinds of <see cref="RunOutcome"/>.</summary>
public enum RunOutcomeKind
{
    /// <summary>Already finished; nothing was started.</summary>
    Skipped,
    /// <summary>Trained to the end in this attempt.</summary>
    Done,
    /// <summary>Train failed (a non-zero exit, or it ended without a finished summary).</summary>
    Failed,
    /// <summary>The sweep was stopped while train ran; the run resumes from its checkpoint next time.</summary>
    Interrupted,
    /// <summary>The sweep was stopped before this run's turn came; nothing was started.</summary>
    NotStarted,
}
