using System.CommandLine;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Slurm;
using DropActivation.Sweeps.Status;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep submit SPEC --slurm [--partition --time --gpus --cpus --mem --account --max-running --warn-before
/// --max-requeues] [--dry-run]</c>: writes an sbatch array script (one task per run that is not done, queued or running)
/// and submits it.
/// </summary>
internal static class SweepSubmitCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new SweepOptions();
        var slurm = new Option<bool>("--slurm") { Description = "Submit to Slurm as a job array (the scheduler sweeps use)." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var time = new Option<string?>("--time") { Description = "Time limit per task, e.g. 2-00:00:00; a run that needs longer checkpoints and requeues itself (--warn-before, --max-requeues)." };
        var gpus = new Option<int?>("--gpus") { Description = "GPUs per run (add \"device\": \"cuda\" to the spec's overrides)." };
        var cpus = new Option<int?>("--cpus") { Description = "CPUs per run (--cpus-per-task)." };
        var mem = new Option<string?>("--mem") { Description = "Memory per run, e.g. 16G." };
        var account = new Option<string?>("--account") { Description = "Slurm account to charge." };
        var maxRunning = new Option<int?>("--max-running") { Description = "At most this many runs at once (the array's %N)." };
        var warnBefore = new Option<int>("--warn-before")
        {
            Description = "Seconds before the time limit at which Slurm signals a task (SIGUSR1) to checkpoint and requeue itself.",
            DefaultValueFactory = _ => SlurmResources.DefaultWarnBeforeSeconds,
        };
        var maxRequeues = new Option<int>("--max-requeues")
        {
            Description = "How many times a task may requeue itself at its time limit (0: never; a stopped run resumes on re-submission).",
            DefaultValueFactory = _ => SlurmResources.DefaultMaxRequeues,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the sbatch script and print it; submit nothing." };
        var command = new Command("submit", "Submit the runs that are not done as a Slurm job array (one task per run, each calling back into dropact).");
        options.AddTo(command);
        foreach (var o in new Option[] { slurm, partition, time, gpus, cpus, mem, account, maxRunning, warnBefore, maxRequeues, dryRun }) command.Add(o);
        command.SetAction(parse =>
        {
            if (!parse.GetValue(slurm))
                throw new UsageError("say where to submit: --slurm (the only scheduler supported); to run on this machine use 'dropact sweep run SPEC --jobs N'.");
            var resources = new SlurmResources
            {
                Partition = parse.GetValue(partition), Time = parse.GetValue(time), Gpus = parse.GetValue(gpus), Cpus = parse.GetValue(cpus),
                Mem = parse.GetValue(mem), Account = parse.GetValue(account), MaxRunning = parse.GetValue(maxRunning),
                WarnBeforeSeconds = parse.GetValue(warnBefore), MaxRequeues = parse.GetValue(maxRequeues),
            };
            if (resources.Problem() is { } problem) throw new UsageError(problem);
            var plan = options.Load(parse);
            plan.RequireDataRoot();
            bool dry = parse.GetValue(dryRun);
            SlurmClient? client = null;
            SlurmObserver observer;
            if (dry) observer = SlurmObserver.Connect();
            else
            {
                client = SlurmClient.Locate();
                client.EnsureReachable();
                observer = new SlurmObserver(client);
            }
            var statuses = SweepStatusReader.Read(plan, observer);
            var result = SlurmSweepSubmitter.Submit(plan, statuses, DropactLauncher.Current(), resources, client);
            if (result is null)
            {
                output.WriteLine($"nothing to submit: all {statuses.Count} runs of {plan.Spec.Name} are done, running or queued (see 'dropact sweep status').");
                return ExitCodes.Success;
            }
            var indices = ArrayIndices.Format(result.Tasks.Keys);
            if (result.JobId is null)
            {
                output.WriteLine($"dry run: {result.Tasks.Count} run(s) (array {indices}) in {result.Script}; not submitted:");
                output.Write(File.ReadAllText(result.Script));
                return ExitCodes.Success;
            }
            output.WriteLine($"submitted Slurm job {result.JobId}: {result.Tasks.Count} run(s) as array tasks {indices} ({statuses.Count - result.Tasks.Count} done, running or queued)");
            output.WriteLine($"script: {result.Script}");
            output.WriteLine($"follow with: dropact sweep status {parse.GetValue(options.Spec)}{(parse.GetValue(options.Out) is { } o ? " --out " + o : "")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
