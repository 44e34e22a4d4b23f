namespace DropActivation.Sweeps.Running;

/// <summary>What executing one run did.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Kind">Skipped (already done), Done or Failed.</param>
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
    /// <summary>Train failed or was interrupted.</summary>
    Failed,
}
