namespace DropActivation.Analysis.Statistics;

/// <summary>
/// Mean of N measurements with its t-based confidence interval: mean ± t_{(1+c)/2, N−1} · s / √N,
/// s the sample standard deviation. With one value the interval is undefined (NaN bounds).
/// </summary>
/// <param name="Mean">Sample mean.</param>
/// <param name="Std">Sample standard deviation (N − 1 in the denominator; 0 for one value).</param>
/// <param name="Count">N.</param>
/// <param name="Confidence">Confidence level c, e.g. 0.95.</param>
/// <param name="TQuantile">t_{(1+c)/2, N−1} (NaN for N = 1).</param>
/// <param name="HalfWidth">t · s / √N (NaN for N = 1).</param>
public sealed record ConfidenceInterval(double Mean, double Std, int Count, double Confidence, double TQuantile, double HalfWidth)
{
    /// <summary>Lower bound, mean − half width.</summary>
    public double Low => Mean - HalfWidth;

    /// <summary>Upper bound, mean + half width.</summary>
    public double High => Mean + HalfWidth;

    /// <summary>The interval of <paramref name="values"/> at <paramref name="confidence"/> (0.95: the paper's Figure 5).</summary>
    public static ConfidenceInterval Of(IEnumerable<double> values, double confidence = 0.95)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must lie in (0, 1).");
        var a = values.ToArray();
        if (a.Length == 0) throw new ArgumentException("A confidence interval needs at least one value.", nameof(values));
        var (mean, std, n) = MeanStd.Of(a);
        if (n == 1) return new ConfidenceInterval(mean, 0, 1, confidence, double.NaN, double.NaN);
        double t = StudentT.Quantile((1 + confidence) / 2, n - 1);
        return new ConfidenceInterval(mean, std, n, confidence, t, t * std / Math.Sqrt(n));
    }
}
