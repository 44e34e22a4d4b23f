using System.CommandLine;
using DropActivation.Training.Reports;

namespace DropActivation.Cli.Commands;

/// <summary><c>dropact report RUN_DIRS...</c>: the paper's table (mean ± std test error per model × activation × data set) as markdown and CSV, and training-curve PNGs.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var dirs = new Argument<string[]>("runs") { Description = "Run folders, or folders above them (e.g. OUT holding seed-K/).", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string?>("--out") { Description = "Write report.md, report.csv and training-curves-*.png here." };
        var metric = new Option<string>("--metric") { Description = "final (last epoch's test error, default) or best (lowest epoch).", DefaultValueFactory = _ => "final" };
        var command = new Command("report", "Summarise runs as the paper's tables: test error mean ± std per model, activation and data set; training curves.")
        { dirs, outDir, metric };
        command.SetAction(parse =>
        {
            var m = parse.GetValue(metric)!.ToLowerInvariant() switch
            {
                "final" => ErrorMetric.Final, "best" => ErrorMetric.Best,
                var other => throw new UsageError($"Unknown --metric '{other}'. Valid: final, best."),
            };
            IReadOnlyList<RunRecord> runs;
            try
            {
                var found = RunRecord.Find(parse.GetValue(dirs)!);
                if (found.Count == 0) throw new UserError($"no run folders (with config.json) under {string.Join(", ", parse.GetValue(dirs)!)}");
                runs = found.Select(RunRecord.Load).ToList();
            }
            catch (DirectoryNotFoundException e) { throw new UserError(e.Message, e); }
            var rows = ReportBuilder.Rows(runs, m);
            var markdown = ReportBuilder.Markdown(rows, m);
            output.Write(markdown);
            if (parse.GetValue(outDir) is { } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "report.md"), markdown);
                File.WriteAllText(Path.Combine(dir, "report.csv"), ReportBuilder.Csv(rows));
                foreach (var png in TrainingCurves.Write(runs, dir)) output.WriteLine($"wrote {png}");
                output.WriteLine($"wrote {Path.Combine(dir, "report.md")} and report.csv");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
