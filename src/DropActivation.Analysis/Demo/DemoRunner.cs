using DropActivation.Analysis.Digits;
using DropActivation.Analysis.Regression;
using DropActivation.Analysis.Reports;
using DropActivation.Analysis.Theory;
using TorchSharp;

namespace DropActivation.Analysis.Demo;

/// <summary>Settings of <c>dropact demo</c>.</summary>
/// <param name="OutputDir">Folder of report.md and the PNGs.</param>
/// <param name="P">Keep probability of Drop-Activation everywhere.</param>
/// <param name="Seed">Base seed.</param>
/// <param name="Seeds">Seeds of the regression and digits comparisons.</param>
/// <param name="Quick">A smoke-test setting: few samples, steps and epochs (seconds, not minutes; numbers not meaningful).</param>
/// <param name="Command">The command line shown in the report.</param>
public sealed record DemoOptions(string OutputDir, double P = DA.DefaultP, long Seed = 1, int Seeds = 3, bool Quick = false, string Command = "dropact demo")
{
    public TheoryOptions Theory => Quick
        ? new TheoryOptions(P, Seed, VarianceSamples: 100_000, PenaltyDraws: 2_000, PenaltyGrid: new[] { 0.7, 0.95 })
        : new TheoryOptions(P, Seed);

    public RegressionOptions Regression => Quick
        ? new RegressionOptions(P, Seeds: 1, Steps: 20, GridPoints: 300, Seed: Seed)
        : new RegressionOptions(P, Seeds: Seeds, Seed: Seed);

    public DigitsOptions Digits => Quick
        ? new DigitsOptions(P, Seeds: 1, Epochs: 2, Seed: Seed)
        : new DigitsOptions(P, Seeds: Seeds, Seed: Seed);
}

/// <summary>What the demo produced.</summary>
/// <param name="ReportPath">The markdown report.</param>
/// <param name="Images">Every PNG written.</param>
public sealed record DemoResult(DemoOptions Options, string ReportPath, IReadOnlyList<string> Images, TheoryResult Theory,
    RegressionResult Regression, DigitsResult Digits, TimeSpan Elapsed);

/// <summary>
/// The demo: theory checks, the regression of Figure 2 and a ReLU / RReLU / Drop-Activation comparison on
/// the embedded optical digits, written as report.md with its figures into one folder.
/// </summary>
public static class DemoRunner
{
    /// <summary>Relative cost of the parts, for one overall progress fraction.</summary>
    private static readonly (string Task, double Weight)[] Parts = { ("theory", 0.1), ("regress", 0.6), ("digits", 0.3) };

    public static DemoResult Run(DemoOptions options, IProgress<AnalysisProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.OutputDir)) throw new ArgumentException("An output folder is needed.", nameof(options));
        if (options.Seeds < 1) throw new ArgumentOutOfRangeException(nameof(options.Seeds), options.Seeds, "At least one seed is needed.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string dir = Path.GetFullPath(options.OutputDir);
        Directory.CreateDirectory(dir);

        var theory = TheoryAnalysis.Run(options.Theory, Forward(progress, 0));
        var regression = RegressionExperiment.Run(options.Regression, progress: Forward(progress, 1));
        var digits = DigitsExperiment.Run(options.Digits, progress: Forward(progress, 2));
        var elapsed = clock.Elapsed;

        var (varianceShiftPng, penaltyPng) = TheoryPlot.SaveAll(dir, theory);
        var images = new List<string> { varianceShiftPng, penaltyPng };
        images.AddRange(RegressionPlot.SaveAll(dir, regression));
        images.Add(Path.Combine(dir, DigitsPlot.File));
        DigitsPlot.Save(images[^1], digits);

        var md = new MarkdownReport().Heading(1, "Drop-Activation for .NET — demo report");
        md.Paragraph($"Command: `{options.Command}`{(options.Quick ? " (quick smoke-test setting: the numbers are not meaningful)" : "")}. " +
                     $"p = {Fmt.F(options.P, "0.##")}, seed {options.Seed}. Total time {Fmt.F(elapsed.TotalSeconds, "0.0")} s on " +
                     $"{Environment.ProcessorCount} logical CPU(s), {torch.get_num_threads()} torch thread(s), " +
                     $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        md.Table(new[] { "part", "seconds", "command for this part alone" }, new[]
        {
            new[] { "theory", Fmt.F(theory.Elapsed.TotalSeconds, "0.0"), $"dropact theory --p {Fmt.F(options.P, "0.##")}" +
                (options.Quick ? $" --samples {options.Theory.VarianceSamples} --draws {options.Theory.PenaltyDraws}" : "") },
            new[] { "regress", Fmt.F(regression.Elapsed.TotalSeconds, "0.0"), $"dropact regress --p {Fmt.F(options.P, "0.##")} --seeds {regression.Options.Seeds}" +
                (options.Quick ? $" --steps {regression.Options.Steps}" : "") },
            new[] { "digits", Fmt.F(digits.Elapsed.TotalSeconds, "0.0"), "(only in the demo)" },
        });
        md.Append(ReportSections.Theory(theory, options.Command, 2, dir));
        md.Append(ReportSections.Regression(regression, options.Command, 2, dir));
        md.Append(ReportSections.Digits(digits, options.Command, 2, dir));
        var report = Path.Combine(dir, "report.md");
        md.Save(report);
        File.WriteAllText(Path.Combine(dir, "report.json"),
            Fmt.ToJson(new { options.P, options.Seed, options.Quick, ElapsedSeconds = elapsed.TotalSeconds, theory, regression, digits }));
        return new DemoResult(options, report, images, theory, regression, digits, clock.Elapsed);
    }

    private static IProgress<AnalysisProgress>? Forward(IProgress<AnalysisProgress>? outer, int part)
    {
        if (outer is null) return null;
        double before = Parts.Take(part).Sum(p => p.Weight), weight = Parts[part].Weight;
        return new Relay(a => outer.Report(a with { Fraction = before + weight * a.Fraction }));
    }

    /// <summary>Synchronous progress relay (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Relay(Action<AnalysisProgress> report) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value) => report(value);
    }
}
