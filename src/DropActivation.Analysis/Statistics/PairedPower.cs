namespace DropActivation.Analysis.Statistics;

/// <summary>
/// Power of the two-sided paired t test, for saying what scale an experiment would need: with n
/// pairs whose differences have standard deviation s, a true mean difference δ is detected at level
/// α with power π when |δ| ≥ (t_{1−α/2, n−1} + t_{π, n−1}) · s / √n (the usual central-t
/// approximation of the noncentral t; it gives the textbook n = 10 for δ = s, α = 0.05, π = 0.8).
/// </summary>
public static class PairedPower
{
    /// <summary>The largest number of pairs <see cref="PairsNeeded"/> searches before it gives up (returns null).</summary>
    public const int MaxPairs = 100_000;

    /// <summary>
    /// The smallest true mean difference that <paramref name="pairs"/> pairs with spread
    /// <paramref name="sd"/> detect with probability <paramref name="power"/> at level <paramref name="alpha"/>
    /// (same unit as <paramref name="sd"/>); NaN for fewer than two pairs.
    /// </summary>
    public static double DetectableDifference(double sd, int pairs, double alpha = 0.05, double power = 0.8)
    {
        Check(sd, alpha, power);
        if (pairs < 2) return double.NaN;
        return Factor(pairs, alpha, power) * sd / Math.Sqrt(pairs);
    }

    /// <summary>
    /// The fewest pairs (at least 2) that detect a true mean difference <paramref name="difference"/>
    /// with probability <paramref name="power"/> at level <paramref name="alpha"/> when the differences
    /// have spread <paramref name="sd"/>; null when the difference is 0 (or NaN) or more than
    /// <see cref="MaxPairs"/> pairs would be needed.
    /// </summary>
    public static int? PairsNeeded(double difference, double sd, double alpha = 0.05, double power = 0.8)
    {
        Check(sd, alpha, power);
        double delta = Math.Abs(difference);
        if (!(delta > 0) || double.IsInfinity(delta)) return null;
        if (sd == 0) return 2;
        bool Enough(int n) => Factor(n, alpha, power) * sd / Math.Sqrt(n) <= delta;
        if (!Enough(MaxPairs)) return null;
        if (Enough(2)) return 2;
        // (t + t)·s/√n falls monotonically in n: bisect for the first n that is enough.
        int lo = 2, hi = MaxPairs;
        while (hi - lo > 1)
        {
            int mid = lo + (hi - lo) / 2;
            if (Enough(mid)) hi = mid; else lo = mid;
        }
        return hi;
    }

    private static double Factor(int pairs, double alpha, double power) =>
        StudentT.Quantile(1 - alpha / 2, pairs - 1) + StudentT.Quantile(power, pairs - 1);

    private static void Check(double sd, double alpha, double power)
    {
        if (!(sd >= 0) || double.IsInfinity(sd)) throw new ArgumentOutOfRangeException(nameof(sd), sd, "The spread must be a finite number ≥ 0.");
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The level must lie in (0, 1).");
        if (!(power > 0.5 && power < 1)) throw new ArgumentOutOfRangeException(nameof(power), power, "The power must lie in (0.5, 1).");
    }
}
