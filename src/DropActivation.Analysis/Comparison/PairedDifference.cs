using DropActivation.Analysis.Statistics;
using DropActivation.Training.Reports;

namespace DropActivation.Analysis.Comparison;

/// <summary>
/// The paired difference of one activation against the baseline on one model × data set: runs are
/// paired by seed (same seed: same initial weights, same data order and augmentation), the
/// per-seed differences d_i = error_i(activation) − error_i(baseline) (percentage points) are
/// formed, and their mean gets the t interval d̄ ± t_{(1+c)/2, n−1} · s_d / √n
/// (<see cref="ConfidenceInterval"/>, <see cref="StudentT"/>). Seeds that only one side has are left out.
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Dataset">Data set name.</param>
/// <param name="Label">The compared activation's column label (e.g. "Drop-Act", "RReLU").</param>
/// <param name="BaselineLabel">The baseline's label ("Baseline" for ReLU, or "Drop-Act p=1", which equals ReLU).</param>
/// <param name="Seeds">The seeds both sides have, ascending.</param>
/// <param name="DifferencesPercent">d_i per seed, in percentage points.</param>
/// <param name="Interval">Mean, sd and confidence interval of the differences (NaN bounds with one pair).</param>
public sealed record PairedDifference(string Model, string Dataset, string Label, string BaselineLabel, IReadOnlyList<long> Seeds,
    IReadOnlyList<double> DifferencesPercent, ConfidenceInterval Interval)
{
    /// <summary>Whether the interval lies wholly above or wholly below zero (false with fewer than two pairs).</summary>
    public bool ExcludesZero => Interval.Count >= 2 && (Interval.Low > 0 || Interval.High < 0);

    /// <summary>The power the scale estimates are for (80%).</summary>
    public const double Power = 0.8;

    /// <summary>
    /// The smallest true difference (percentage points) that this many pairs, with the measured spread,
    /// detect with 80% power at level 1 − confidence (<see cref="PairedPower"/>); NaN with fewer than two pairs.
    /// </summary>
    public double DetectablePercent => PairedPower.DetectableDifference(Interval.Std, Interval.Count, 1 - Interval.Confidence, Power);

    /// <summary>
    /// The pairs needed to detect a true difference as large as the measured mean with 80% power at
    /// level 1 − confidence, given the measured spread; null with fewer than two pairs, a zero mean or
    /// beyond <see cref="PairedPower.MaxPairs"/>.
    /// </summary>
    public int? PairsNeededForMean => Interval.Count < 2 ? null
        : PairedPower.PairsNeeded(Interval.Mean, Interval.Std, 1 - Interval.Confidence, Power);

    /// <summary>
    /// Pairs <paramref name="treatment"/> with <paramref name="baseline"/> by seed; null when they share no seed.
    /// </summary>
    /// <exception cref="ArgumentException">The rows belong to different models or data sets, or a row lists a seed twice.</exception>
    public static PairedDifference? Of(ReportRow treatment, ReportRow baseline, double confidence = 0.95)
    {
        if (treatment.Model != baseline.Model || treatment.Dataset != baseline.Dataset)
            throw new ArgumentException($"cannot pair {treatment.Model}/{treatment.Dataset} with {baseline.Model}/{baseline.Dataset}");
        var a = BySeed(treatment);
        var b = BySeed(baseline);
        var seeds = a.Keys.Intersect(b.Keys).Order().ToArray();
        if (seeds.Length == 0) return null;
        var d = seeds.Select(s => a[s] - b[s]).ToArray();
        return new PairedDifference(treatment.Model, treatment.Dataset, treatment.Label, baseline.Label, seeds, d, ConfidenceInterval.Of(d, confidence));
    }

    private static Dictionary<long, double> BySeed(ReportRow row)
    {
        var map = new Dictionary<long, double>();
        for (int i = 0; i < row.Seeds.Count; i++)
            if (!map.TryAdd(row.Seeds[i], row.ErrorsPercent[i]))
                throw new ArgumentException($"{row.Model}/{row.Dataset} {row.Label}: seed {row.Seeds[i]} appears in two runs; pairing by seed needs one run per seed");
        return map;
    }
}
