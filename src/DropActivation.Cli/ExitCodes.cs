namespace DropActivation.Cli;

/// <summary>The exit codes of <c>dropact</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The run failed: bad data, a missing file, a NaN loss.</summary>
    public const int RuntimeError = 1;
    /// <summary>The command line itself is wrong: unknown command or option, bad value.</summary>
    public const int UsageError = 2;
    /// <summary>
    /// Stopped by a signal (SIGTERM, SIGINT, SIGUSR1) after checkpointing: the run is resumable and <c>--resume</c> continues
    /// it exactly. 75 is sysexits' EX_TEMPFAIL ("try again later"); a sweep records such a run as interrupted, not failed.
    /// </summary>
    public const int Stopped = DropActivation.Sweeps.Running.GracefulStop.StoppedExitCode;
}
