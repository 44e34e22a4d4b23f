using System.CommandLine;
using DropActivation.Analysis.Comparison;
using DropActivation.Training.Reports;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact report RUN_DIRS...</c>: the paper's table (mean ± std test error per model × activation × data set),
/// the paired differences against the baseline with their confidence intervals, as markdown and CSV, training-curve
/// PNGs, and a Figure-5 plot of error against p wherever Drop-Activation ran at three or more values of p.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var dirs = new Argument<string[]>("runs") { Description = "Run folders, or folders above them (e.g. OUT holding seed-K/).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string?>("--out") { Description = "Write report.md, report.csv and training-curves-*.png here." };
        var metric = new Option<string>("--metric") { Description = ErrorMetrics.OptionHelp, DefaultValueFactory = _ => ErrorMetrics.Name(ErrorMetric.Final) };
        var command = new Command("report", "Summarise runs as the paper's tables: test error mean ± std per model, activation and data set; training curves.")
        { dirs, outDir, metric };
        command.SetAction(parse =>
        {
            var m = ErrorMetrics.Parse(parse.GetValue(metric)!)
                    ?? throw new UsageError($"Unknown --metric '{parse.GetValue(metric)}'. Valid: {ErrorMetrics.Names}.");
            var found = RunRecord.Find(parse.GetValue(dirs)!);
            if (found.Count == 0) throw new UserError($"no run folders (with config.json) under {string.Join(", ", parse.GetValue(dirs)!)}");
            IReadOnlyList<RunRecord> runs = found.Select(RunRecord.Load).ToList();
            var rows = ReportBuilder.Rows(runs, m);
            var diffs = PairedComparisons.All(rows);
            bool validation = runs.All(r => r.Options.ValidationSplit is not null);
            var markdown = ReportBuilder.Markdown(rows, m, validation);
            if (diffs.Count > 0) markdown += Environment.NewLine + PairedComparisons.Markdown(diffs, errorName: ErrorMetrics.ErrorName(m, validation));
            markdown += MachineSummary.Markdown(runs);
            output.Write(markdown);
            if (parse.GetValue(outDir) is { } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "report.md"), markdown);
                File.WriteAllText(Path.Combine(dir, "report.csv"), ReportBuilder.Csv(rows, m));
                File.WriteAllText(Path.Combine(dir, "paired-differences.csv"), PairedComparisons.Csv(diffs));
                foreach (var png in TrainingCurves.Write(runs, dir)) output.WriteLine($"wrote {png}");
                foreach (var (model, dataset, curve) in PCurvePlot.Curves(rows))
                {
                    var png = Path.Combine(dir, $"p-curve-{model}-{dataset}.png");
                    PCurvePlot.Save(png, model, dataset, curve,
                        ErrorMetrics.Describe(m, validation));
                    output.WriteLine($"wrote {png}");
                }
                output.WriteLine($"wrote {Path.Combine(dir, "report.md")}, report.csv and paired-differences.csv");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
