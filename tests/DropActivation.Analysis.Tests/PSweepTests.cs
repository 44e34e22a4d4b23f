using DropActivation.Analysis.Statistics;
using DropActivation.Analysis.PSweep;

namespace DropActivation.Analysis.Tests;

public class PSweepTests
{
    private static PSweepOptions Tiny(long seed = 3) => new()
    {
        Dataset = "mnist", DataRoot = RealData.Root, PValues = new[] { 0.9, 1.0 }, Runs = 2, Epochs = 2, BatchSize = 32,
        TrainSubset = 400, Seed = seed,
    };

    [Fact]
    public void The_analyses_check_p_with_the_layers_one_range()
    {
        (new PSweepOptions { DataRoot = "/d", PValues = [0.0, 1.0] }).Validate();
        new Timing.TimingOptions { P = 0 }.Validate();
        new ShiftRatio.ShiftRatioOptions { DataRoot = "/d", P = 0 }.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new PSweepOptions { DataRoot = "/d", PValues = [0.5, 1.5] }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Timing.TimingOptions { P = -0.1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShiftRatio.ShiftRatioOptions { DataRoot = "/d", P = double.NaN }.Validate());
    }

    [RealDataFact("mnist/train-images-idx3-ubyte.gz")]
    public void Tiny_sweep_gives_a_valid_deterministic_table_and_figure()
    {
        var dir = RealData.NewTempDir("dropact-experiments-tests");
        var a = PSweepExperiment.Run(Tiny());
        var (aCsv, aRunsCsv) = PSweepCsv.Write(Path.Combine(dir, "a"), a);
        var aPng = Path.Combine(dir, "a", "p-sweep.png");
        PSweepPlot.Save(aPng, a);

        Assert.Equal(new[] { 0.9, 1.0 }, a.Points.Select(x => x.P));
        Assert.Equal(4, a.Runs.Count);
        Assert.Equal(400, a.TrainImages + a.ValidationImages);
        Assert.Equal(40, a.ValidationImages); // stratified 10 %
        foreach (var pt in a.Points)
        {
            var ci = pt.ValidationError;
            Assert.Equal(2, ci.Count);
            Assert.InRange(ci.Mean, 0.0, 0.75); // well below chance (0.9) after two epochs
            Assert.Equal(StudentT.Quantile(0.975, 1), ci.TQuantile, 10);
            Assert.True(ci.Low <= ci.Mean && ci.Mean <= ci.High);
            var errs = a.Runs.Where(r => r.P == pt.P).Select(r => r.ValidationError).ToArray();
            Assert.Equal(errs.Average(), ci.Mean, 12);
            // Validation errors are multiples of 1/40.
            foreach (var e in errs) Assert.Equal(Math.Round(e * 40), e * 40, 6);
        }
        // Runs of one seed share split and initial weights; different seeds differ in split.
        Assert.Equal(new long[] { 3, 4 }, a.Runs.Select(r => r.Seed).Distinct().Order());

        var csv = File.ReadAllLines(aCsv);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("p,activation,runs,mean_val_error", csv[0]);
        Assert.StartsWith("0.9,dropact,2,", csv[1]);
        Assert.StartsWith("1,relu,2,", csv[2]);
        Assert.Equal(5, File.ReadAllLines(aRunsCsv).Length);
        PngAssert.Figure(aPng);

        var b = PSweepExperiment.Run(Tiny());
        var (bCsv, _) = PSweepCsv.Write(Path.Combine(dir, "b"), b);
        Assert.Equal(a.Runs.Select(r => (r.P, r.Run, r.ValidationError, r.TrainLoss)), b.Runs.Select(r => (r.P, r.Run, r.ValidationError, r.TrainLoss)));
        Assert.Equal(File.ReadAllText(aCsv), File.ReadAllText(bCsv));
    }

    [Fact]
    public void Options_are_checked_before_any_data_is_read()
    {
        var bad = Tiny() with { DataRoot = "/nonexistent" };
        Assert.Contains("mnist", Assert.Throws<ArgumentException>(() => PSweepExperiment.Check(bad with { Dataset = "nope" })).Message);
        Assert.ThrowsAny<ArgumentException>(() => PSweepExperiment.Check(bad with { PValues = new[] { 1.5 } })); // outside DA.CheckP's [0, 1]
        Assert.Throws<ArgumentException>(() => PSweepExperiment.Check(bad with { PValues = new[] { 0.9, 0.9 } }));
        Assert.Throws<ArgumentException>(() => PSweepExperiment.Check(bad with { Runs = 0 }));
        Assert.Throws<ArgumentException>(() => PSweepExperiment.Check(bad with { Schedule = "sometimes" }));
    }

    [Fact]
    public void P_one_is_plain_relu_and_below_one_is_drop_activation()
    {
        Assert.IsType<TorchSharp.Modules.ReLU>(PSweepExperiment.ActivationFor(1.0)());
        var da = Assert.IsType<DropActivation.Modules.DropAct>(PSweepExperiment.ActivationFor(0.85)());
        Assert.Equal(0.85, da.p);
    }
}
