namespace DropActivation.Kernels;

/// <summary>
/// The exceptions that custom backward passes caught (<see cref="BackwardGuard"/>), numbered so
/// that a caller can tell whether one happened during its own backward call.
/// </summary>
internal static class BackwardFailures
{
    private static readonly object Gate = new();
    private static long _count;
    private static BackwardFailedException? _last;

    /// <summary>How many failures have been recorded so far in this process.</summary>
    public static long Count => Interlocked.Read(ref _count);

    public static void Record(string node, Exception cause)
    {
        var failure = new BackwardFailedException(node, cause);
        lock (Gate)
        {
            _last = failure;
            _count++;
        }
    }

    /// <summary>The most recent failure if one was recorded after <paramref name="since"/> (a <see cref="Count"/>), else null.</summary>
    public static BackwardFailedException? Since(long since)
    {
        lock (Gate) return _count > since ? _last : null;
    }
}
