using System.Globalization;

namespace DropActivation.Sweeps.Slurm;

/// <summary>Slurm's time-limit notation (<c>--time</c>): "M", "M:S", "H:M:S", "D-H", "D-H:M", "D-H:M:S", or "INFINITE"/"UNLIMITED".</summary>
public static class SlurmTime
{
    /// <summary>The limit in seconds; null for "INFINITE"/"UNLIMITED".</summary>
    /// <exception cref="FormatException">Not in Slurm's notation (the message says which forms are).</exception>
    public static long? ParseSeconds(string text)
    {
        var t = text.Trim();
        if (t.Equals("INFINITE", StringComparison.OrdinalIgnoreCase) || t.Equals("UNLIMITED", StringComparison.OrdinalIgnoreCase)) return null;
        long days = 0;
        int dash = t.IndexOf('-');
        if (dash >= 0)
        {
            days = Number(t[..dash], text);
            t = t[(dash + 1)..];
        }
        var parts = t.Split(':').Select(p => Number(p, text)).ToArray();
        long seconds = (dash >= 0, parts.Length) switch
        {
            (false, 1) => parts[0] * 60,
            (false, 2) => parts[0] * 60 + parts[1],
            (_, 3) => parts[0] * 3600 + parts[1] * 60 + parts[2],
            (true, 1) => parts[0] * 3600,
            (true, 2) => parts[0] * 3600 + parts[1] * 60,
            _ => throw Bad(text),
        };
        return days * 86400 + seconds;
    }

    private static long Number(string part, string text) =>
        part.Length > 0 && part.All(char.IsAsciiDigit) && long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 1_000_000
            ? n : throw Bad(text);

    private static FormatException Bad(string text) =>
        new($"'{text}' is not a Slurm time limit: use minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S (e.g. 90, 2:00:00, 1-12:00:00)");
}
