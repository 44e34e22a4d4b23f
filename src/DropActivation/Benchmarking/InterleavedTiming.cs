namespace DropActivation.Benchmarking;

/// <summary>
/// The timing loop of <c>dropact timing</c> and the benchmarks: every variant (a model, an activation, a
/// setting) runs once per round, the order rotated by one each round so that no variant always follows the
/// same one; warm-up rounds run first and are dropped. Here, in the lowest project, so that the command and
/// the benchmark programs share it; the quantiles interpolate linearly.
/// </summary>
public static class InterleavedTiming
{
    /// <summary>
    /// Runs <paramref name="warmup"/> + <paramref name="repeats"/> rounds; <paramref name="step"/> gets the variant
    /// index and the round (negative while warming up) and returns its time. Returns each variant's timed samples.
    /// <paramref name="afterRound"/>, when given, gets the round after every round.
    /// </summary>
    public static List<double>[] Run(int variants, int warmup, int repeats, Func<int, int, double> step, Action<int>? afterRound = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variants, 1);
        ArgumentNullException.ThrowIfNull(step);
        var samples = Enumerable.Range(0, variants).Select(_ => new List<double>()).ToArray();
        for (int round = -warmup; round < repeats; round++)
        {
            int shift = ((round % variants) + variants) % variants;
            for (int k = 0; k < variants; k++)
            {
                int i = (k + shift) % variants;
                double time = step(i, round);
                if (round >= 0) samples[i].Add(time);
            }
            afterRound?.Invoke(round);
        }
        return samples;
    }

    /// <summary>The q-quantile of <paramref name="xs"/> with linear interpolation between order statistics.</summary>
    public static double Quantile(IReadOnlyList<double> xs, double q)
    {
        if (xs.Count == 0) throw new ArgumentException("No values.", nameof(xs));
        var s = xs.OrderBy(v => v).ToArray();
        double pos = (s.Length - 1) * q;
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    /// <summary>The median.</summary>
    public static double Median(IReadOnlyList<double> xs) => Quantile(xs, 0.5);
}
