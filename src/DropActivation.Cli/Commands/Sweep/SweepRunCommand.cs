using System.CommandLine;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Status;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep run SPEC --jobs N</c>: runs the sweep on this machine, N runs at a time; finished runs are
/// skipped, failed and interrupted ones are retried (resuming from their checkpoints), runs queued or
/// running in Slurm are left alone.
/// </summary>
internal static class SweepRunCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new SweepOptions();
        var jobs = new Option<int>("--jobs", "-j") { Description = "Runs at a time on this machine.", DefaultValueFactory = _ => 1 };
        var command = new Command("run", "Run a sweep on this machine, N runs at a time (skips finished runs, resumes interrupted ones).");
        options.AddTo(command);
        command.Add(jobs);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(jobs);
            if (n < 1) throw new UsageError($"--jobs must be at least 1, got {n}.");
            var plan = options.Load(parse);
            plan.RequireDataRoot();
            var statuses = SweepStatusReader.Read(plan, SlurmObserver.Connect());
            using var signals = new SignalCancellation();
            var runner = new LocalSweepRunner(DropactLauncher.Current(), output);
            var outcomes = runner.Run(plan, statuses, n, signals.Token);
            var failed = outcomes.Where(o => o.Kind == RunOutcomeKind.Failed).ToList();
            if (signals.Signal is { } sig)
            {
                int interrupted = outcomes.Count(o => o.Kind == RunOutcomeKind.Interrupted);
                int notStarted = outcomes.Count(o => o.Kind == RunOutcomeKind.NotStarted);
                throw new UserError($"stopped by {sig}: {interrupted} run(s) interrupted, {notStarted} not started" +
                    $"{(failed.Count > 0 ? $", {failed.Count} failed" : "")}; run the same command again to resume them");
            }
            if (failed.Count > 0)
                throw new UserError($"{failed.Count} of {outcomes.Count} run(s) failed ({string.Join(", ", failed.Take(5).Select(f => f.RunId))}{(failed.Count > 5 ? ", ..." : "")}); " +
                    $"see RUN_DIR/{RunExecutor.LogFile}; run the same command again to retry only those");
            return ExitCodes.Success;
        });
        return command;
    }
}
