using DropActivation.Analysis.Theory;
using TorchSharp;

namespace DropActivation.Analysis.Tests;

public class VarianceShiftTests
{
    [Fact]
    public void ClosedForm_MatchesThePaper()
    {
        Assert.Equal(0.9377, VarianceShift.ClosedForm(0.95), 4);
        Assert.Equal(1.0, VarianceShift.ClosedForm(1.0), 12);
        Assert.Equal(1.0, VarianceShift.ClosedForm(0.0), 12);
        // Eq. (17) is Eq. (20) with numerator and denominator multiplied by 2π.
        foreach (var p in new[] { 0.1, 0.5, 0.6, 0.95 })
        {
            double eq17 = ((Math.PI - 1) * p * p - 2 * Math.PI * p + 2 * Math.PI) / (2 * Math.PI - Math.PI * p - p * p);
            Assert.Equal(eq17, VarianceShift.ClosedForm(p), 12);
        }
        // The paper: the ratio lies in [0.8, 1].
        for (int i = 0; i <= 100; i++)
        {
            double r = VarianceShift.ClosedForm(i / 100.0);
            Assert.InRange(r, 0.8, 1.0 + 1e-12);
        }
    }

    [Fact]
    public void MonteCarlo_IsWithinOnePercentAtEveryP_AndOnePercentIsManyStandardErrors()
    {
        var r = VarianceShift.Run(new VarianceShiftOptions(Samples: 1_000_000, Width: 4, Seed: 11));
        Assert.Equal(VarianceShiftOptions.DefaultGrid, r.Points.Select(x => x.P).ToArray());
        Assert.Equal(new[] { 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00 }, r.Points.Select(x => x.P).ToArray());
        foreach (var x in r.Points)
        {
            Assert.True(x.RelativeError < 0.01, $"p={x.P}: MC {x.MonteCarlo} vs {x.ClosedForm}");
            // The check is strict: 1 % of the ratio is at least 5 standard errors.
            Assert.True(x.OnePercentInStdErrors > 5, $"p={x.P}: 1 % is only {x.OnePercentInStdErrors:0.0} standard errors");
            // The variances themselves follow Eq. (18) and (19).
            Assert.True(Math.Abs(x.VarTrain / VarianceShift.TrainVariance(x.P) - 1) < 0.03, $"p={x.P}: Var_train {x.VarTrain}");
            Assert.True(Math.Abs(x.VarTest / VarianceShift.TestVariance(x.P) - 1) < 0.03, $"p={x.P}: Var_test {x.VarTest}");
        }
        Assert.Equal(1.0, r.Points[^1].MonteCarlo, 12); // p = 1: train and test are both ReLU
    }

    [Fact]
    public void MonteCarlo_DetectsAWrongRatio()
    {
        // The estimate sits within a few standard errors of the closed form, and a different ratio
        // (the closed form at p = 0.80) is far outside 1 %: the comparison can fail.
        var x = VarianceShift.MonteCarlo(0.95, new VarianceShiftOptions(Samples: 1_000_000, Width: 4, Seed: 3));
        Assert.True(Math.Abs(x.MonteCarlo - VarianceShift.ClosedForm(0.80)) / VarianceShift.ClosedForm(0.80) > 0.01);
        Assert.True(Math.Abs(x.MonteCarlo - x.ClosedForm) < 4 * x.StdError + 1e-12);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VarianceShift.ClosedForm(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => VarianceShift.MonteCarlo(0.5, new VarianceShiftOptions(Samples: 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => VarianceShift.MonteCarlo(0.5, new VarianceShiftOptions(Samples: 100_000, Batches: 1)));
    }
}

public class ImplicitPenaltyTests
{
    [Fact]
    public void MonteCarloDifference_MatchesTheExactPenalty_WithinItsConfidenceInterval()
    {
        foreach (var seed in new long[] { 1, 2 })
        {
            var r = ImplicitPenalty.Run(new ImplicitPenaltyOptions(Seed: seed));
            Assert.True(r.ExactWithinCi, $"seed {seed}: exact {r.ExactPenalty} outside [{r.CiLow}, {r.CiHigh}]");
            Assert.True(r.Difference > 0 && r.ExactPenalty > 0);
            // The interval is narrow enough to mean something: a few percent of the penalty.
            Assert.True(r.CiHigh - r.CiLow < 0.15 * r.ExactPenalty, $"seed {seed}: CI width {r.CiHigh - r.CiLow} vs {r.ExactPenalty}");
            Assert.Equal(r.TestLoss + r.Difference, r.MeanTrainingLoss, 9);
        }
    }

    [Fact]
    public void PrintedPenalty_IsExactForOrthonormalW2_ButNotForAGenericNetwork()
    {
        var ortho = ImplicitPenalty.Run(new ImplicitPenaltyOptions(OutputDim: 40, OrthonormalOutput: true, Seed: 1));
        Assert.Equal(ortho.ExactPenalty, ortho.PaperPenalty, 8);
        Assert.True(ortho.PaperWithinCi && ortho.ExactWithinCi, $"orthonormal: {ortho.Difference} ± {ortho.StdError} vs {ortho.ExactPenalty}");

        // A generic W2: the cross terms of ‖W2 (I-D) v‖² make Eq. (9) as printed wrong by many standard errors.
        var generic = ImplicitPenalty.Run(new ImplicitPenaltyOptions(Seed: 1));
        Assert.True(Math.Abs(generic.PaperPenalty - generic.ExactPenalty) > 0.03 * generic.ExactPenalty);
        Assert.False(generic.PaperWithinCi, $"printed penalty {generic.PaperPenalty} inside [{generic.CiLow}, {generic.CiHigh}]");
        Assert.True(Math.Abs(generic.PaperZ) > 3, $"z = {generic.PaperZ}");
    }

    [Fact]
    public void Penalty_MatchesAHandComputedExample()
    {
        // Two hidden units with pre-activation −1 each, W2 = [1, 1], y = 0: E[(Q1 + Q2)²] − (2(1−p))² = 2p(1−p)
        // with Q ~ B(1−p); the exact form gives (1−p)/p·2p² = 2p(1−p); the printed one (1−p)/p·(2p)² = 4p(1−p).
        const double p = 0.8;
        using var w1 = torch.tensor(new double[] { -1, -1 }, new long[] { 2, 1 });
        using var w2 = torch.tensor(new double[] { 1, 1 }, new long[] { 1, 2 });
        using var x = torch.tensor(new double[] { 1 }, new long[] { 1, 1 });
        using var y = torch.zeros(1, 1, dtype: torch.float64);
        torch.manual_seed(5);
        var r = ImplicitPenalty.Estimate(w1, w2, x, y, new ImplicitPenaltyOptions(P: p, Draws: 200_000));
        Assert.Equal(2 * p * (1 - p), r.ExactPenalty, 12);
        Assert.Equal(4 * p * (1 - p), r.PaperPenalty, 12);
        Assert.Equal(4 * (1 - p) * (1 - p), r.TestLoss, 12);
        Assert.True(r.ExactWithinCi, $"{r.Difference} ± {r.StdError}");
        Assert.False(r.PaperWithinCi);
    }

    [Fact]
    public void AtPEqualOne_ThereIsNoPenaltyAndNoNoise()
    {
        var r = ImplicitPenalty.Run(new ImplicitPenaltyOptions(P: 1.0, Draws: 200));
        Assert.Equal(0.0, r.Difference, 9);
        Assert.Equal(0.0, r.ExactPenalty, 12);
        Assert.Equal(0.0, r.PaperPenalty, 12);
    }
}
