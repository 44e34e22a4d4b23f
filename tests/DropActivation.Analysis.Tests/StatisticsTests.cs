using DropActivation.Analysis.Statistics;
using DropActivation.Analysis.PSweep;

namespace DropActivation.Analysis.Tests;

public class StatisticsTests
{
    [Theory]
    [InlineData(0.975, 19, 2.093024)]
    [InlineData(0.975, 1, 12.706205)]
    [InlineData(0.975, 4, 2.776445)]
    [InlineData(0.95, 10, 1.812461)]
    [InlineData(0.995, 30, 2.749996)]
    [InlineData(0.9, 2, 1.885618)]
    public void T_quantiles_match_the_tables(double q, int df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(q, df), 2e-6);

    [Fact]
    public void T_quantile_is_symmetric_and_tends_to_the_normal()
    {
        Assert.Equal(-StudentT.Quantile(0.975, 19), StudentT.Quantile(0.025, 19), 10);
        Assert.Equal(0.0, StudentT.Quantile(0.5, 7));
        Assert.Equal(1.959964, StudentT.Quantile(0.975, 1e7), 4);
    }

    [Fact]
    public void T_cdf_inverts_the_quantile()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 5), 12);
        Assert.Equal(0.975, StudentT.Cdf(2.093024, 19), 6);
        foreach (var q in new[] { 0.01, 0.3, 0.8, 0.999 })
            Assert.Equal(q, StudentT.Cdf(StudentT.Quantile(q, 3), 3), 9);
        // df = 1 is the Cauchy distribution: CDF(t) = 1/2 + atan(t)/π.
        Assert.Equal(0.5 + Math.Atan(2.5) / Math.PI, StudentT.Cdf(2.5, 1), 10);
    }

    [Fact]
    public void Log_gamma_matches_factorials() =>
        Assert.Equal(Math.Log(24), StudentT.LogGamma(5), 12);

    [Fact]
    public void Confidence_interval_of_fixed_numbers()
    {
        var ci = ConfidenceInterval.Of(new[] { 0.10, 0.12, 0.11, 0.13 });
        Assert.Equal(0.115, ci.Mean, 12);
        Assert.Equal(Math.Sqrt(0.0005 / 3), ci.Std, 12);
        Assert.Equal(3.182446, ci.TQuantile, 5);
        Assert.Equal(3.182446 * Math.Sqrt(0.0005 / 3) / 2, ci.HalfWidth, 6);
        Assert.Equal(ci.Mean - ci.HalfWidth, ci.Low, 12);
        Assert.Equal(ci.Mean + ci.HalfWidth, ci.High, 12);
        Assert.Equal(4, ci.Count);
    }

    [Fact]
    public void Confidence_interval_of_one_value_is_undefined()
    {
        var ci = ConfidenceInterval.Of(new[] { 0.2 });
        Assert.Equal(0.2, ci.Mean);
        Assert.True(double.IsNaN(ci.HalfWidth));
        Assert.Throws<ArgumentException>(() => ConfidenceInterval.Of(Array.Empty<double>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceInterval.Of(new[] { 1.0, 2.0 }, 1.0));
    }

    [Fact]
    public void Paper_grid_is_060_to_100_in_steps_of_005()
    {
        Assert.Equal(new[] { 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0 }, PSweepOptions.PaperGrid);
    }

    [Fact]
    public void NormalQuantile_KnownValues()
    {
        Assert.Equal(1.959964, NormalDistribution.Quantile(0.975), 5);
        Assert.Equal(2.575829, NormalDistribution.Quantile(0.995), 5);
        Assert.Equal(0.0, NormalDistribution.Quantile(0.5), 9);
        Assert.Equal(-3.090232, NormalDistribution.Quantile(0.001), 5);
    }

    [Fact]
    public void MeanStd_SampleStandardDeviation()
    {
        var m = MeanStd.Of(new[] { 1.0, 2.0, 3.0, 4.0 });
        Assert.Equal(2.5, m.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), m.Std, 12);
        Assert.Equal(4, m.Count);
        Assert.Equal(0.0, MeanStd.Of(new[] { 7.0 }).Std);
    }

    [Fact]
    public void Paired_power_gives_the_textbook_sample_size_and_holds_up_in_simulation()
    {
        // δ = sd, α = 0.05, power 0.8: n = 9 gives (2.306004 + 0.888889) / 3 = 1.065 > 1, n = 10 gives
        // (2.262157 + 0.883403) / √10 = 0.99471 ≤ 1: the textbook 10 pairs.
        Assert.Equal(10, PairedPower.PairsNeeded(1.0, 1.0));
        Assert.Equal(10, PairedPower.PairsNeeded(-0.5, 0.5));
        Assert.Null(PairedPower.PairsNeeded(0.0, 1.0));
        Assert.Null(PairedPower.PairsNeeded(1e-4, 1.0)); // > 100,000 pairs
        Assert.Equal(2, PairedPower.PairsNeeded(0.3, 0.0));
        double detectable = PairedPower.DetectableDifference(1.0, 10);
        Assert.Equal(0.99471, detectable, 4);
        Assert.True(double.IsNaN(PairedPower.DetectableDifference(1.0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedPower.DetectableDifference(-1.0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedPower.PairsNeeded(1.0, 1.0, power: 0.4));

        // Simulation: 10 normal differences with mean = the detectable difference and sd 1, tested at
        // the 5% level; the rejection rate must be 0.8 within 4 binomial sigma of 6,000 trials
        // (sd 0.0052; the central-t approximation's own error at n = 10 is below 0.01).
        var rng = new Random(12345);
        double tCrit = StudentT.Quantile(0.975, 9);
        int trials = 6000, rejected = 0;
        var x = new double[10];
        for (int t = 0; t < trials; t++)
        {
            for (int i = 0; i < x.Length; i++)
                x[i] = detectable + Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            var (mean, sd, n) = MeanStd.Of(x);
            if (Math.Abs(mean / (sd / Math.Sqrt(n))) > tCrit) rejected++;
        }
        double rate = rejected / (double)trials, sigma = Math.Sqrt(0.8 * 0.2 / trials);
        Assert.InRange(rate, 0.8 - 0.01 - 4 * sigma, 0.8 + 0.01 + 4 * sigma);
    }
}
