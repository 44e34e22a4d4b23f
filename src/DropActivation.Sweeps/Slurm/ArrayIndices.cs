using System.Globalization;
using System.Text;

namespace DropActivation.Sweeps.Slurm;

/// <summary>Slurm array index lists: "0-3,7,9-10" (with an optional "%N" throttle).</summary>
public static class ArrayIndices
{
    /// <summary>Sorted distinct indices as Slurm's compact form, runs of consecutive indices as ranges.</summary>
    public static string Format(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no array indices", nameof(indices));
        var sb = new StringBuilder();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1) j++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) sb.Append(j == i + 1 ? ',' : '-').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return sb.ToString();
    }

    /// <summary>The indices of a Slurm list such as "1-3,5" or "[1-3,5%2]" (brackets and throttle ignored; "1-7:2" steps honoured).</summary>
    /// <exception cref="FormatException">Not an index list.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        var s = text.Trim().TrimStart('[').TrimEnd(']');
        int pct = s.IndexOf('%');
        if (pct >= 0) s = s[..pct];
        var result = new List<int>();
        foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var stepSplit = part.Split(':');
            int step = stepSplit.Length == 2 ? int.Parse(stepSplit[1], CultureInfo.InvariantCulture) : 1;
            var range = stepSplit[0].Split('-');
            int a = int.Parse(range[0], CultureInfo.InvariantCulture);
            int b = range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) : a;
            if (range.Length > 2 || b < a || step < 1) throw new FormatException($"'{text}' is not a Slurm array index list");
            for (int i = a; i <= b; i += step) result.Add(i);
        }
        return result;
    }
}
