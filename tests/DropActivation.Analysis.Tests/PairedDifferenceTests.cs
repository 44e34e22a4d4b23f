using DropActivation.Analysis.Comparison;
using DropActivation.Training;
using DropActivation.Training.Reports;

namespace DropActivation.Analysis.Tests;

/// <summary>The paired-difference intervals of <c>dropact report</c> against values worked out by hand.</summary>
public class PairedDifferenceTests
{
    private static ReportRow Row(string activation, string label, long[] seeds, double[] errors, double? p = null) =>
        new("resnet-20", "cifar10", activation, label, errors.Length, errors.Average(), ReportBuilder.SampleStd(errors), seeds, errors) { P = p };

    // Baseline (ReLU) errors for seeds 1, 2, 3 (plus seed 4, which no other activation has), in percent.
    private static readonly ReportRow Baseline = Row("relu", "Baseline", [3, 1, 2, 4], [6.80, 7.00, 7.40, 9.90]);
    private static readonly ReportRow DropAct = Row("dropact", "Drop-Act", [1, 2, 3], [6.50, 7.10, 6.60], 0.95);
    private static readonly ReportRow RRelu = Row("rrelu", "RReLU", [2, 3, 1], [7.90, 7.20, 7.50]);

    [Fact]
    public void The_interval_matches_the_hand_computed_example()
    {
        // d = (6.50−7.00, 7.10−7.40, 6.60−6.80) = (−0.50, −0.30, −0.20): mean −1/3,
        // sd = sqrt(((−1/6)² + (1/30)² + (2/15)²) / 2) = 0.152753, t(0.975, 2) = 4.302653,
        // half width = 4.302653 · 0.152753 / √3 = 0.379458: [−0.712792, +0.046125], which contains 0.
        var d = PairedDifference.Of(DropAct, Baseline)!;
        Assert.Equal([1L, 2, 3], d.Seeds);
        Assert.Equal(-0.50, d.DifferencesPercent[0], 12);
        Assert.Equal(-1.0 / 3, d.Interval.Mean, 10);
        Assert.Equal(0.15275252316519466, d.Interval.Std, 10);
        Assert.Equal(4.302652729749464, d.Interval.TQuantile, 8);
        Assert.Equal(-0.7127916366930094, d.Interval.Low, 8);
        Assert.Equal(0.046124970026342804, d.Interval.High, 8);
        Assert.False(d.ExcludesZero);

        // d = (0.50, 0.50, 0.40) (seeds paired although listed in another order): mean 0.466667, sd 0.057735,
        // half width 4.302653 · 0.057735 / √3 = 0.143422: [0.323245, 0.610088], which excludes 0.
        var r = PairedDifference.Of(RRelu, Baseline)!;
        Assert.Equal([0.5, 0.5, 0.4], r.DifferencesPercent.Select(x => Math.Round(x, 10)));
        Assert.Equal(0.32324490900835123, r.Interval.Low, 8);
        Assert.Equal(0.610088424324982, r.Interval.High, 8);
        Assert.True(r.ExcludesZero);
    }

    [Fact]
    public void The_scale_estimate_matches_the_hand_computed_example()
    {
        // Drop-Act: n = 3, sd = 0.152753: detectable = (t(0.975, 2) + t(0.8, 2)) · sd / √3
        // = (4.302653 + 0.6/√0.32) · 0.152753 / √3 = 0.473000 pp. For the measured mean 1/3:
        // n = 3 gives 0.473 > 1/3; n = 4 gives (3.182446 + 0.978472) · 0.152753 / 2 = 0.317791 ≤ 1/3, so 4 pairs.
        var d = PairedDifference.Of(DropAct, Baseline)!;
        Assert.Equal(0.4729997380290246, d.DetectablePercent, 8);
        Assert.Equal(4, d.PairsNeededForMean);
        Assert.True(double.IsNaN(PairedDifference.Of(Row("dropact", "Drop-Act", [4], [9.0]), Baseline)!.DetectablePercent));
        Assert.Null(PairedDifference.Of(Row("dropact", "Drop-Act", [4], [9.0]), Baseline)!.PairsNeededForMean);
    }

    [Fact]
    public void Every_activation_is_compared_with_the_baseline_and_the_table_says_whether_zero_is_excluded()
    {
        var diffs = PairedComparisons.AgainstBaseline([Baseline, RRelu, DropAct]);
        Assert.Equal(["RReLU", "Drop-Act"], diffs.Select(d => d.Label));
        Assert.All(diffs, d => Assert.Equal("Baseline", d.BaselineLabel));
        var md = PairedComparisons.Markdown(diffs);
        Assert.Contains("| resnet-20 | cifar10 | Drop-Act − Baseline | 3 | -0.33 ± 0.15 | [-0.71, +0.05] | no | 0.47 | 4 |", md);
        Assert.Contains("| resnet-20 | cifar10 | RReLU − Baseline | 3 | +0.47 ± 0.06 | [+0.32, +0.61] | yes (higher error) | 0.18 | 3 |", md);
        var csv = PairedComparisons.Csv(diffs).Split('\n');
        Assert.Equal("resnet-20,cifar10,RReLU,Baseline,3,0.4667,0.0577,4.3027,0.3232,0.6101,true,0.1788,3,1;2;3,0.5;0.5;0.4", csv[1]);
    }

    [Fact]
    public void In_a_p_sweep_drop_activation_at_p_1_is_the_baseline()
    {
        var one = Row("dropact", "Drop-Act p=1", [1, 2], [10.0, 11.0], 1.0);
        var nine = Row("dropact", "Drop-Act p=0.9", [1, 2], [9.0, 10.5], 0.9);
        var d = Assert.Single(PairedComparisons.AgainstBaseline([one, nine]));
        Assert.Equal(("Drop-Act p=0.9", "Drop-Act p=1"), (d.Label, d.BaselineLabel));
        Assert.Equal(-0.75, d.Interval.Mean, 12);
    }

    [Fact]
    public void Activations_pair_within_a_compute_mode_and_each_mode_pairs_with_the_same_activation_in_fp32()
    {
        var fast = new ComputeMode(ChannelsLast: true, BFloat16: true);
        var fastBaseline = Row("relu", "Baseline (bf16, channels-last)", [1, 2, 3], [7.00, 7.20, 7.30]) with { Mode = fast };
        var fastDropAct = Row("dropact", "Drop-Act (bf16, channels-last)", [1, 2, 3], [6.90, 7.00, 7.00], 0.95) with { Mode = fast };
        var diffs = PairedComparisons.All([Baseline, DropAct, fastBaseline, fastDropAct]);
        Assert.Equal(
            [("Drop-Act", "Baseline"), ("Drop-Act (bf16, channels-last)", "Baseline (bf16, channels-last)"),
             ("Baseline (bf16, channels-last)", "Baseline"), ("Drop-Act (bf16, channels-last)", "Drop-Act")],
            diffs.Select(d => (d.Label, d.BaselineLabel)));
        // Within bf16: 6.9 − 7.0, 7.0 − 7.2, 7.0 − 7.3; bf16 against fp32 ReLU by seed: 7.0 − 7.0, 7.2 − 7.4, 7.3 − 6.8.
        Assert.Equal([-0.1, -0.2, -0.3], diffs[1].DifferencesPercent.Select(x => Math.Round(x, 9)));
        Assert.Equal([0.0, -0.2, 0.5], diffs[2].DifferencesPercent.Select(x => Math.Round(x, 9)));
        Assert.Equal([1L, 2, 3], diffs[2].Seeds);
        // A mode with no fp32 counterpart is compared within its mode only.
        Assert.Single(PairedComparisons.All([fastBaseline, fastDropAct]));
    }

    [Fact]
    public void One_pair_has_no_interval_and_a_repeated_seed_is_refused()
    {
        var single = PairedDifference.Of(Row("dropact", "Drop-Act", [4], [9.0]), Baseline)!;
        Assert.Equal(1, single.Interval.Count);
        Assert.False(single.ExcludesZero);
        Assert.Contains("n/a (one pair)", PairedComparisons.Markdown([single]));
        Assert.Null(PairedDifference.Of(Row("dropact", "Drop-Act", [8], [9.0]), Baseline));
        var e = Assert.Throws<ArgumentException>(() => PairedDifference.Of(Row("dropact", "Drop-Act", [1, 1], [6.0, 6.5]), Baseline));
        Assert.Contains("seed 1 appears in two runs", e.Message);
    }
}
