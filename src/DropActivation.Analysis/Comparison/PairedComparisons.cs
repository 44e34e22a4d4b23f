using System.Globalization;
using System.Text;
using DropActivation.Analysis.Statistics;
using DropActivation.Training;
using DropActivation.Training.Reports;

namespace DropActivation.Analysis.Comparison;

/// <summary>
/// Every activation against the baseline, per model × data set (<see cref="PairedDifference"/>), as
/// a markdown table and CSV for <c>dropact report</c>. The baseline is ReLU ("Baseline"); where a
/// model × data set has no ReLU runs but Drop-Activation runs with p = 1 (exactly ReLU, as in a
/// p-sweep), those are the baseline. Activations are compared within one compute mode; runs of the same activation
/// in another mode than fp32 NCHW are compared with that activation's fp32 NCHW runs (<see cref="AcrossModes"/>).
/// </summary>
public static class PairedComparisons
{
    /// <summary>
    /// The paired differences of every non-baseline row against the baseline of its model × data set × compute mode, in row
    /// order, then those of <see cref="AcrossModes"/>: every comparison <c>dropact report</c> shows.
    /// </summary>
    public static IReadOnlyList<PairedDifference> All(IReadOnlyList<ReportRow> rows, double confidence = 0.95) =>
        [.. AgainstBaseline(rows, confidence), .. AcrossModes(rows, confidence)];

    /// <summary>The paired differences of every non-baseline row against its model × data set × compute mode's baseline, in row order.</summary>
    public static IReadOnlyList<PairedDifference> AgainstBaseline(IReadOnlyList<ReportRow> rows, double confidence = 0.95)
    {
        var result = new List<PairedDifference>();
        foreach (var group in rows.GroupBy(r => (r.Model, r.Dataset, r.Mode)))
        {
            var baseline = group.FirstOrDefault(r => r.Activation == "relu") ?? group.FirstOrDefault(IsDropActAtOne);
            if (baseline is null) continue;
            foreach (var row in group.Where(r => !ReferenceEquals(r, baseline) && !(baseline.Activation == "relu" && r.Activation == "relu")))
                if (PairedDifference.Of(row, baseline, confidence) is { } d) result.Add(d);
        }
        return result;
    }

    /// <summary>
    /// Each row in another compute mode than <see cref="ComputeMode.Standard"/> against the same model × data set × activation
    /// (and p) in the standard mode, paired by seed: "Baseline (bf16, channels-last) − Baseline". Nothing for rows without a
    /// standard counterpart.
    /// </summary>
    public static IReadOnlyList<PairedDifference> AcrossModes(IReadOnlyList<ReportRow> rows, double confidence = 0.95)
    {
        var result = new List<PairedDifference>();
        foreach (var row in rows.Where(r => r.Mode != ComputeMode.Standard))
        {
            var standard = rows.FirstOrDefault(r => r.Mode == ComputeMode.Standard && r.Model == row.Model && r.Dataset == row.Dataset
                                                    && r.Activation == row.Activation && r.P == row.P);
            if (standard is not null && PairedDifference.Of(row, standard, confidence) is { } d) result.Add(d);
        }
        return result;
    }

    private static bool IsDropActAtOne(ReportRow r) => r.Activation == "dropact" && r.P == 1.0;

    /// <summary>
    /// The markdown table: model, data set, comparison, pairs, mean difference ± sd (percentage points),
    /// the confidence interval and whether it excludes zero.
    /// </summary>
    public static string Markdown(IReadOnlyList<PairedDifference> diffs, double confidence = 0.95, string errorName = "test error")
    {
        var sb = new StringBuilder();
        string level = F(100 * confidence, "0.#");
        sb.AppendLine($"| Model | Data set | Difference | Pairs | Mean ± sd (pp) | {level}% CI (pp) | Excludes 0 | Detectable at 80% power (pp) | Pairs for the measured mean |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---|---:|---:|");
        foreach (var d in diffs)
        {
            var ci = d.Interval;
            string interval = ci.Count < 2 ? "n/a (one pair)" : $"[{F(ci.Low, "+0.00;-0.00;0.00")}, {F(ci.High, "+0.00;-0.00;0.00")}]";
            string verdict = ci.Count < 2 ? "n/a" : d.ExcludesZero ? (ci.High < 0 ? "yes (lower error)" : "yes (higher error)") : "no";
            sb.AppendLine($"| {d.Model} | {d.Dataset} | {d.Label} − {d.BaselineLabel} | {ci.Count} | {F(ci.Mean, "+0.00;-0.00;0.00")} ± {F(ci.Std, "0.00")} | {interval} | {verdict} | {Detectable(d)} | {PairsFor(d)} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Paired by seed (same seed: same initial weights, data order and augmentation); differences of the {errorName} in percentage points " +
                      $"(negative: lower error than the baseline); {level}% interval: mean ± t(n−1) · sd / √n. " +
                      $"Scale: the smallest true difference these pairs detect with 80% power at level {F(100 - 100 * confidence, "0.#")}% " +
                      "((t(1−α/2, n−1) + t(0.8, n−1)) · sd / √n), and the pairs (seeds) a difference as large as the measured mean would need.");
        return sb.ToString();
    }

    /// <summary>One line per comparison, with the per-seed differences.</summary>
    public static string Csv(IReadOnlyList<PairedDifference> diffs)
    {
        var sb = new StringBuilder("model,dataset,label,baseline,pairs,mean_diff_pp,sd_diff_pp,t_quantile,ci_low_pp,ci_high_pp,excludes_zero,detectable_80_pp,pairs_for_mean,seeds,diffs_pp\n");
        foreach (var d in diffs)
        {
            var ci = d.Interval;
            sb.Append(string.Join(",", d.Model, d.Dataset, d.Label, d.BaselineLabel, ci.Count.ToString(CultureInfo.InvariantCulture),
                F(ci.Mean, "0.####"), F(ci.Std, "0.####"), F(ci.TQuantile, "0.####"), F(ci.Low, "0.####"), F(ci.High, "0.####"),
                d.ExcludesZero ? "true" : "false", F(d.DetectablePercent, "0.####"),
                d.PairsNeededForMean?.ToString(CultureInfo.InvariantCulture) ?? "", string.Join(";", d.Seeds), string.Join(";", d.DifferencesPercent.Select(x => F(x, "0.####")))));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Detectable(PairedDifference d) => d.Interval.Count < 2 ? "n/a" : F(d.DetectablePercent, "0.00");

    private static string PairsFor(PairedDifference d) => d.Interval.Count < 2 ? "n/a"
        : d.PairsNeededForMean is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : $"> {PairedPower.MaxPairs:N0}";

    private static string F(double v, string format) => double.IsNaN(v) ? "nan" : v.ToString(format, CultureInfo.InvariantCulture);
}
