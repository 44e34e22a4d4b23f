using DropActivation.Analysis.Demo;
using DropActivation.Analysis.Regression;
using DropActivation.Analysis.Reports;

namespace DropActivation.Analysis.Tests;

public class RegressionTests
{
    [Fact]
    public void TargetFunctions_AreThoseOfFigure2()
    {
        Assert.Equal(new[] { "xsinx", "piecewise" }, TargetFunction.Figure2.Select(f => f.Name).ToArray());
        Assert.Equal(2 * Math.Sin(2), TargetFunction.XSinX.F(2), 12);
        var pc = TargetFunction.PiecewiseConstant;
        var values = Enumerable.Range(0, 1001).Select(i => pc.F(pc.XMin + (pc.XMax - pc.XMin) * i / 1000.0)).Distinct().Count();
        Assert.InRange(values, 3, 10);
    }

    [Fact]
    public void PaperNetwork_WritesOnePngPerFunction_AndPairsTheFits()
    {
        var dir = RealData.NewTempDir("dropact-analysis-tests");
        var r = RegressionExperiment.Run(new RegressionOptions(Seeds: 2, Steps: 15, GridPoints: 200));
        var pngs = RegressionPlot.SaveAll(dir, r);
        Assert.Equal(2, r.Functions.Count);
        foreach (var (f, png) in r.Functions.Zip(pngs))
        {
            Assert.Equal(4, f.Fits.Count);
            Assert.Equal(2, f.TestMse("relu").Count);
            Assert.All(f.Fits, x => Assert.True(double.IsFinite(x.TestMse) && x.TestMse >= 0));
            Assert.Equal(20, f.Curves.TrainX.Length);
            Assert.Equal(200, f.Curves.GridX.Length);
            Assert.Equal(Path.Combine(dir, $"regress-{f.Function.Name}.png"), png);
            PngAssert.ValidNonTrivial(png);
        }
    }

    [Fact]
    public void Training_FitsTheSamples_AndIsReproducible()
    {
        var o = new RegressionOptions(Seeds: 1, Steps: 300, LearningRate: 3e-3, GridPoints: 200, Hidden: new[] { 64, 64 });
        var (fits, curves) = RegressionExperiment.RunOne(TargetFunction.XSinX, 5, o);
        double mean = curves.TrainY.Average();
        double variance = curves.TrainY.Average(y => (y - mean) * (y - mean));
        foreach (var f in fits)
            Assert.True(f.TrainMse < 0.25 * variance, $"{f.Activation}: train MSE {f.TrainMse} vs variance {variance}");
        // Samples cover the domain: one per bin of a jittered grid.
        Assert.True(curves.TrainX.Zip(curves.TrainX.Skip(1), (a, b) => b - a).All(d => d > 0));
        Assert.InRange(curves.TrainX[0], -5.0, -4.5);
        Assert.InRange(curves.TrainX[^1], 4.5, 5.0);
        var (again, _) = RegressionExperiment.RunOne(TargetFunction.XSinX, 5, o);
        Assert.Equal(fits.Select(f => f.TestMse), again.Select(f => f.TestMse));
    }
}

public class DemoTests
{
    [Fact]
    public void QuickDemo_WritesTheReportAndValidPngs()
    {
        var dir = RealData.NewTempDir("dropact-analysis-tests");
        var seen = new List<AnalysisProgress>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = DemoRunner.Run(new DemoOptions(dir, Quick: true), new SyncProgress(seen.Add));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"quick demo took {clock.Elapsed}");

        Assert.Equal(Path.Combine(dir, "report.md"), r.ReportPath);
        var report = File.ReadAllText(r.ReportPath);
        Assert.Equal(5, r.Images.Count);
        foreach (var png in r.Images)
        {
            PngAssert.ValidNonTrivial(png);
            Assert.Contains($"]({Path.GetFileName(png)})", report);
        }
        foreach (var name in new[] { "theory-variance-shift.png", "theory-penalty.png", "regress-xsinx.png", "regress-piecewise.png", "digits-test-error.png" })
            Assert.Contains(Path.Combine(dir, name), r.Images);
        foreach (var part in new[] { "Property 2", "Property 1", "RReLU", "CC BY 4.0" })
            Assert.Contains(part, report);
        Assert.True(File.Exists(Path.Combine(dir, "report.json")));

        Assert.Contains(seen, s => s.Task == "theory");
        Assert.Contains(seen, s => s.Task == "regress");
        Assert.Contains(seen, s => s.Task == "digits");
        Assert.Equal(1.0, seen[^1].Fraction, 9);
        Assert.True(seen.Zip(seen.Skip(1), (a, b) => b.Fraction >= a.Fraction - 1e-12).All(x => x), "progress went backwards");
    }

    [Fact]
    public void Markdown_TablesEscapeAndCheckShape()
    {
        var md = new MarkdownReport().Table(new[] { "a", "b" }, new[] { new[] { "x|y", "2" } }).ToString();
        Assert.Contains("| x\\|y | 2 |", md);
        Assert.Throws<ArgumentException>(() => new MarkdownReport().Table(new[] { "a", "b" }, new[] { new[] { "1" } }));
    }

    private sealed class SyncProgress(Action<AnalysisProgress> a) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value) => a(value);
    }
}
