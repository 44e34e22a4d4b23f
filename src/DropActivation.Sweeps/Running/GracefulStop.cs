using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DropActivation.Sweeps.Running;

/// <summary>
/// Stops a train process the way a scheduler would: SIGTERM first to it and every process below it (train finishes its
/// step, checkpoints its position inside the epoch and exits with code <see cref="StoppedExitCode"/>; a wrapper script
/// and its children end too, so no orphan keeps the output pipes open), and a kill of the whole tree only if it has
/// not exited after a grace period. Where signals cannot be sent (not Linux), the kill comes at once.
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
            if (!process.HasExited && OperatingSystem.IsLinux())
            {
                var below = Descendants(process.Id);
                signalled = kill(process.Id, SigTerm) == 0;
                foreach (var pid in below) _ = kill(pid, SigTerm);
            }
        }
        catch (InvalidOperationException) { return; }
        if (!signalled) { Kill(process); return; }
        _ = Task.Delay(grace).ContinueWith(_ => Kill(process), TaskScheduler.Default);
    }

    private static void Kill(Process process)
    {
        // The grace period can end after the caller has disposed of the process: nothing is left to kill then.
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException) { }
    }

    /// <summary>The processes below <paramref name="root"/> (children, grandchildren, …), read from /proc.</summary>
    internal static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (rest.Length > 1 && int.TryParse(rest[1], out int parent))
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
        }
        var found = new List<int>();
        var todo = new Stack<int>([root]);
        while (todo.Count > 0)
            if (children.TryGetValue(todo.Pop(), out var kids))
                foreach (var k in kids) { found.Add(k); todo.Push(k); }
        return found;
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
