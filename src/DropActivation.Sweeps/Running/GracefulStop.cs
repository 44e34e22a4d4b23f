using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DropActivation.Sweeps.Running;

/// <summary>
/// Stops a train process the way a scheduler would: SIGTERM first (train finishes its step, checkpoints its position
/// inside the epoch and exits with code <see cref="StoppedExitCode"/>), and a kill of the whole tree only if it has not
/// exited after a grace period. Where signals cannot be sent (not Linux or macOS), the kill comes at once.
/// </summary>
public static class GracefulStop
{
    /// <summary>The exit code of a train stopped by a signal after checkpointing: resumable (sysexits' EX_TEMPFAIL).</summary>
    public const int StoppedExitCode = 75;

    /// <summary>How long a train process may take to checkpoint after SIGTERM before it is killed.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(2);

    /// <summary>Asks <paramref name="process"/> to stop (SIGTERM) and kills its tree if it still runs after <paramref name="grace"/>.</summary>
    public static void Request(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        bool signalled = false;
        try
        {
            if (!process.HasExited && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
                signalled = kill(process.Id, SigTerm) == 0;
        }
        catch (InvalidOperationException) { return; }
        if (!signalled) { Kill(process); return; }
        _ = Task.Delay(grace).ContinueWith(_ => Kill(process), TaskScheduler.Default);
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
