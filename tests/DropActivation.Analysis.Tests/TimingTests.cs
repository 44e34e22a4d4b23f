using DropActivation.Analysis.Timing;

namespace DropActivation.Analysis.Tests;

public class TimingTests
{
    [Fact]
    public void Four_variants_with_positive_medians_and_relu_as_the_unit()
    {
        var dir = RealData.NewTempDir("dropact-experiments-tests");
        var r = TimingBenchmark.Run(new TimingOptions { Model = "simple-cnn", Dataset = "mnist", BatchSize = 8, Repeats = 3, Warmup = 1 });
        Assert.Equal(new[] { "relu", "rrelu", "dropact", "dropact-portable" }, r.Rows.Select(x => x.Variant));
        Assert.Equal(new[] { 1, 28, 28 }, r.InputShape);
        Assert.Equal(10, r.NumClasses);
        Assert.True(r.Parameters > 1_000_000);
        foreach (var row in r.Rows)
        {
            Assert.Equal(3, row.SamplesMs.Count);
            Assert.True(row.MedianMs > 0);
            Assert.True(row.MinMs <= row.MedianMs);
            Assert.True(row.IqrMs >= 0);
            Assert.Equal(DropActivation.Benchmarking.InterleavedTiming.Median(row.SamplesMs), row.MedianMs);
            Assert.Equal(row.MedianMs / r.Rows[0].MedianMs, row.RatioToRelu, 12);
        }
        Assert.Equal(1.0, r.Rows[0].RatioToRelu);
        var png = Path.Combine(dir, "timing.png");
        TimingPlot.Save(png, r);
        PngAssert.Figure(png);
    }

    [Fact]
    public void Input_shape_follows_the_data_set()
    {
        Assert.Equal((3, 32), TimingBenchmark.InputShape(DropActivation.Data.Registry.DataSets.Get("cifar10")));
        Assert.Equal((1, 28), TimingBenchmark.InputShape(DropActivation.Data.Registry.DataSets.Get("mnist")));
        Assert.Equal((3, 224), TimingBenchmark.InputShape(DropActivation.Data.Registry.DataSets.Get("imagenet")));
    }

    [Fact]
    public void Quantiles_interpolate_like_the_layer_benchmark()
    {
        Assert.Equal(2.5, DropActivation.Benchmarking.InterleavedTiming.Median(new[] { 4.0, 1.0, 3.0, 2.0 }));
        Assert.Equal(1.75, DropActivation.Benchmarking.InterleavedTiming.Quantile(new[] { 4.0, 1.0, 3.0, 2.0 }, 0.25));
        Assert.Equal(7.0, DropActivation.Benchmarking.InterleavedTiming.Median(new[] { 7.0 }));
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Contains("simple-cnn", Assert.Throws<ArgumentException>(() => TimingBenchmark.Check(new TimingOptions { Model = "nope" })).Message);
        Assert.Contains("cifar10", Assert.Throws<ArgumentException>(() => TimingBenchmark.Check(new TimingOptions { Dataset = "nope" })).Message);
        Assert.Throws<ArgumentException>(() => TimingBenchmark.Check(new TimingOptions { Repeats = 0 }));
        Assert.Contains("at least", Assert.Throws<ArgumentException>(() => TimingBenchmark.Check(new TimingOptions { Model = "resnet34", Dataset = "mnist" })).Message);
    }
}
