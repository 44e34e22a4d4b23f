using System.Diagnostics;

namespace DropActivation.Sweeps.Running;

/// <summary>Tells whether a recorded process still runs on this machine (same pid and same start time, so a reused pid is not mistaken for it).</summary>
public static class ProcessProbe
{
    /// <summary>This machine's name as recorded in status files.</summary>
    public static string Host => Environment.MachineName;

    /// <summary>Start time (UTC) of <paramref name="process"/>, or null when it cannot be read.</summary>
    public static DateTime? StartTime(Process process)
    {
        try { return process.StartTime.ToUniversalTime(); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { return null; }
    }

    /// <summary>Whether process <paramref name="pid"/> runs here and started at <paramref name="started"/> (within a second).</summary>
    public static bool IsAlive(int? pid, DateTime? started)
    {
        if (pid is not { } id) return false;
        try
        {
            using var p = Process.GetProcessById(id);
            if (p.HasExited) return false;
            if (started is not { } s) return true;
            var actual = StartTime(p);
            return actual is null || Math.Abs((actual.Value - s.ToUniversalTime()).TotalSeconds) < 1.0;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
