using System.CommandLine;
using DropActivation.Sweeps.Status;
using DropActivation.Training.Reports;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep report SPEC [--report-out DIR] [--metric final|best|train]</c>: <c>dropact report</c> over the
/// sweep's finished runs (the same merge as <c>dropact report RUN_DIRS...</c>), with a note of what is missing.
/// </summary>
internal static class SweepReportCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new SweepOptions();
        var reportOut = new Option<string?>("--report-out") { Description = "Write report.md, report.csv and training curves here (report's --out)." };
        var metric = new Option<string>("--metric") { Description = ErrorMetrics.OptionHelp, DefaultValueFactory = _ => ErrorMetrics.Name(ErrorMetric.Final) };
        var command = new Command("report", "Report the sweep's finished runs with 'dropact report' (mean ± std test error per model, activation, data set).");
        options.AddTo(command);
        command.Add(reportOut);
        command.Add(metric);
        command.SetAction(parse =>
        {
            var plan = options.Load(parse);
            var statuses = SweepStatusReader.Read(plan, SlurmObserver.Unavailable("not needed for a report"));
            var done = statuses.Where(s => s.State == RunState.Done).Select(s => s.Run.Folder).ToList();
            if (done.Count == 0)
                throw new UserError($"sweep {plan.Spec.Name} has no finished run yet in {plan.Root} (see 'dropact sweep status')");
            var args = new List<string> { "report" };
            args.AddRange(done);
            args.AddRange(["--metric", parse.GetValue(metric)!]);
            if (parse.GetValue(reportOut) is { } dir) args.AddRange(["--out", dir]);
            var report = new RootCommand { ReportCommand.Create(output) };
            var inner = report.Parse(args);
            if (inner.Errors.Count > 0) throw new UsageError(string.Join("; ", inner.Errors.Select(e => e.Message)));
            int exit = inner.Invoke(new InvocationConfiguration
            {
                Output = output, Error = parse.InvocationConfiguration.Error, EnableDefaultExceptionHandler = false,
            });
            if (done.Count < statuses.Count)
                output.WriteLine($"({done.Count} of {statuses.Count} runs finished; the others are not in this report)");
            return exit;
        });
        return command;
    }
}
