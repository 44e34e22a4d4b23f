using System.CommandLine;
using DropActivation.Analysis;
using DropActivation.Analysis.Demo;
using DropActivation.Analysis.Reports;
using Spectre.Console;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact demo</c>: theory, the regression of Figure 2 and a ReLU / RReLU / Drop-Activation comparison
/// on the embedded UCI optical digits, in a few minutes on a laptop CPU; writes report.md with its PNGs
/// into --out and prints where the report is.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output)
    {
        var p = new Option<double>("--p") { Description = "Keep probability of Drop-Activation.", DefaultValueFactory = _ => DA.DefaultP };
        var seed = new Option<long>("--seed") { Description = "Base random seed.", DefaultValueFactory = _ => 1 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds of the regression and digits comparisons.", DefaultValueFactory = _ => 3 };
        var quick = new Option<bool>("--quick") { Description = "A smoke test in seconds (few samples, steps and epochs; numbers not meaningful)." };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON (progress goes to stderr)." };
        var command = new Command("demo", "Run theory, regress and a digits classification comparison; write a markdown report with figures.")
            { p, seed, seeds, quick, outDir, json };
        command.SetAction(parse =>
        {
            double pv = parse.GetValue(p);
            Choices.Usage(() => DA.CheckP(pv, "--p"));
            int s = parse.GetValue(seeds);
            if (s < 1) throw new UsageError($"--seeds must be at least 1, got {s}.");
            bool asJson = parse.GetValue(json), isQuick = parse.GetValue(quick);
            string cmdLine = "dropact demo" + (isQuick ? " --quick" : "") + (Math.Abs(pv - DA.DefaultP) > 1e-12 ? $" --p {Fmt.F(pv, "0.###")}" : "") +
                             (s != 3 ? $" --seeds {s}" : "");
            var options = new DemoOptions(parse.GetValue(outDir)!, pv, parse.GetValue(seed), s, isQuick, cmdLine);

            DemoResult result;
            var console = CliOutput.ConsoleFor(output);
            if (!asJson && console.Profile.Capabilities.Interactive)
            {
                result = null!;
                console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("demo", maxValue: 1.0);
                        result = DemoRunner.Run(options, new Relay(a =>
                        {
                            task.Description = Markup.Escape($"{a.Task}: {a.Message}");
                            task.Value = a.Fraction;
                        }));
                        task.Value = 1.0;
                    });
            }
            else
            {
                result = DemoRunner.Run(options, new LineProgress(asJson ? Console.Error : output));
            }

            if (asJson)
            {
                output.WriteLine(Fmt.ToJson(new { report = result.ReportPath, images = result.Images, elapsedSeconds = result.Elapsed.TotalSeconds }));
                return ExitCodes.Success;
            }
            console.Write(CliOutput.Table("Property 2 (variance shift ratio)", ReportSections.VarianceShiftHeaders, ReportSections.VarianceShiftRows(result.Theory.VarianceShift)));
            console.Write(CliOutput.Table("Property 1 (implicit penalty)", ReportSections.PenaltyHeaders, ReportSections.PenaltyRows(result.Theory)));
            console.Write(CliOutput.Table("Regression (test MSE)", ReportSections.RegressionHeaders, ReportSections.RegressionRows(result.Regression)));
            console.Write(CliOutput.Table("Optical digits (error)", ReportSections.DigitsHeaders, ReportSections.DigitsRows(result.Digits)));
            output.WriteLine($"Finished in {result.Elapsed.TotalSeconds:0.0} s.");
            output.WriteLine($"Report: {result.ReportPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed class Relay(Action<AnalysisProgress> report) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value) => report(value);
    }
}
