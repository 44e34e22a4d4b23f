using System.Reflection;
using DropActivation.Sweeps.Specs;

namespace DropActivation.Training.Tests.Mutation;

/// <summary>How a reader met a mutated file.</summary>
internal enum Outcome { ClearError, Accepted, Unclear, Hang }

/// <summary>
/// Runs a reader on one mutated file on its own thread, with a time limit (a hang is reported, not waited out) and a
/// budget of managed allocation (an absurd allocation is a failure even when this machine's memory happens to hold it).
/// While a case runs its description is in <c>$DROPACT_RUNNING_TESTS_DIR/&lt;assembly&gt;.mutation-case.running</c>, beside the
/// running test's name, so a reader that kills the host in native code is named with its case by the CI.
/// </summary>
internal static class CaseRunner
{
    private static readonly string? Record = Environment.GetEnvironmentVariable("DROPACT_RUNNING_TESTS_DIR") is { Length: > 0 } dir
        ? Path.Combine(dir, $"{Assembly.GetExecutingAssembly().GetName().Name}.mutation-case.running") : null;

    /// <summary>The outcome of <paramref name="read"/> on <paramref name="path"/> and, unless accepted, the error or what went wrong.</summary>
    public static (Outcome Outcome, string Detail) Run(Action<string> read, string path, string description, TimeSpan timeout)
    {
        if (Record is not null) File.WriteAllText(Record, description);
        Exception? error = null;
        long allocated = 0, budget = (32L << 20) + 64 * new FileInfo(path).Length;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { read(path); }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true, Name = "mutation case" };
        thread.Start();
        bool finished = thread.Join(timeout);
        if (Record is not null) File.Delete(Record);
        if (!finished) return (Outcome.Hang, $"still reading after {timeout.TotalSeconds} s");
        if (allocated > budget) return (Outcome.Unclear, $"allocated {allocated >> 20} MiB of managed memory for a {new FileInfo(path).Length}-byte file ({error?.Message ?? "accepted"})");
        if (error is null) return (Outcome.Accepted, "");
        bool userError = error is IOException or InvalidDataException or SweepSpecException or ArgumentException and not ArgumentOutOfRangeException;
        return userError && error.Message.Contains(path, StringComparison.Ordinal) ? (Outcome.ClearError, error.Message)
            : (Outcome.Unclear, $"{error.GetType().Name}: {error.Message} {error.StackTrace?.Split('\n')[0].Trim()}");
    }
}
