using System.CommandLine;
using DropActivation.Sweeps.Planning;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Slurm;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep task SPEC --index I</c>: what one Slurm array task runs: run I of the (frozen) spec, skipped
/// when done, resumed from its checkpoint when interrupted before. Exit code: train's, so Slurm sees failures.
/// Slurm's time-limit warning (SIGUSR1) stops the run with a checkpoint and the task requeues itself
/// (<see cref="TimeLimitRequeue"/>), at most <c>--max-requeues</c> times.
/// </summary>
internal static class SweepTaskCommand
{
    public static Command Create(TextWriter output)
    {
        var spec = new Argument<string>("spec") { Description = "The frozen spec written by 'sweep submit'." };
        var index = new Option<int>("--index") { Description = "Run index in the plan ($SLURM_ARRAY_TASK_ID).", Required = true };
        var maxRequeues = new Option<int>("--max-requeues") { Description = "Requeue the task at most this many times in all when Slurm's time-limit warning (SIGUSR1) stops it." };
        var command = new Command("task", "Run one run of a sweep (what each Slurm array task calls).") { spec, index, maxRequeues };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var plan = SweepPlan.Load(parse.GetValue(spec)!, null, null);
            int i = parse.GetValue(index);
            if (i < 0 || i >= plan.Runs.Count) throw new UsageError($"--index {i} is outside the sweep's {plan.Runs.Count} runs (0..{plan.Runs.Count - 1}).");
            var run = plan.Runs[i];
            var data = plan.RequireDataRoot();
            using var signals = new SignalCancellation();
            var outcome = new RunExecutor(DropactLauncher.Current(), data).Execute(run, signals.Token);
            output.WriteLine(outcome.Kind switch
            {
                RunOutcomeKind.Done => $"done {run.Id} in {outcome.Seconds:F1} s{(outcome.Resumed ? " (resumed from its checkpoint)" : "")}",
                RunOutcomeKind.Skipped => $"skipped {run.Id}: {outcome.Message ?? "already done"}",
                RunOutcomeKind.Interrupted => $"interrupted {run.Id}: {outcome.Message}",
                _ => $"failed {run.Id}: {outcome.Message}",
            });
            if (outcome.Kind is RunOutcomeKind.Done or RunOutcomeKind.Skipped) return ExitCodes.Success;
            if (outcome.Kind == RunOutcomeKind.Interrupted && signals.Signal == SignalCancellation.SigUsr1)
            {
                TimeLimitRequeue.Apply(run, Math.Max(0, parse.GetValue(maxRequeues)), RunExecutor.SlurmTaskId(), RunExecutor.SlurmRestartCount(),
                    () => SlurmClient.Locate(), output);
                return ExitCodes.Stopped;
            }
            parse.InvocationConfiguration.Error.WriteLine($"error: {run.Id}: {outcome.Message} (log: {Path.Combine(run.Folder, RunExecutor.LogFile)})");
            return outcome.ExitCode is > 0 and < 256 ? outcome.ExitCode : ExitCodes.RuntimeError;
        });
        return command;
    }
}
