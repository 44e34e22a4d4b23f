using System.CommandLine;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Slurm;
using DropActivation.Sweeps.Status;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep submit SPEC --slurm [--partition --time --gpus --cpus --mem --account --max-running] [--dry-run]</c>:
/// writes an sbatch array script (one task per run that is not done, queued or running) and submits it.
/// </summary>
internal static class SweepSubmitCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new SweepOptions();
        var slurm = new Option<bool>("--slurm") { Description = "Submit to Slurm as a job array (the scheduler sweeps use)." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var time = new Option<string?>("--time") { Description = "Time limit per run, e.g. 2-00:00:00 (interrupted runs resume on re-submission)." };
        var gpus = new Option<int?>("--gpus") { Description = "GPUs per run (add \"device\": \"cuda\" to the spec's overrides)." };
        var cpus = new Option<int?>("--cpus") { Description = "CPUs per run (--cpus-per-task)." };
        var mem = new Option<string?>("--mem") { Description = "Memory per run, e.g. 16G." };
        var account = new Option<string?>("--account") { Description = "Slurm account to charge." };
        var maxRunning = new Option<int?>("--max-running") { Description = "At most this many runs at once (the array's %N)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Write the sbatch script and print it; submit nothing." };
        var command = new Command("submit", "Submit the runs that are not done as a Slurm job array (one task per run, each calling back into dropact).");
        options.AddTo(command);
        foreach (var o in new Option[] { slurm, partition, time, gpus, cpus, mem, account, maxRunning, dryRun }) command.Add(o);
        command.SetAction(parse =>
        {
            if (!parse.GetValue(slurm))
                throw new UsageError("say where to submit: --slurm (the only scheduler supported); to run on this machine use 'dropact sweep run SPEC --jobs N'.");
            if (parse.GetValue(gpus) is < 0) throw new UsageError("--gpus must not be negative.");
            if (parse.GetValue(cpus) is < 1) throw new UsageError("--cpus must be at least 1.");
            if (parse.GetValue(maxRunning) is < 1) throw new UsageError("--max-running must be at least 1.");
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
            var resources = new SlurmResources
            {
                Partition = parse.GetValue(partition), Time = parse.GetValue(time), Gpus = parse.GetValue(gpus), Cpus = parse.GetValue(cpus),
                Mem = parse.GetValue(mem), Account = parse.GetValue(account), MaxRunning = parse.GetValue(maxRunning),
            };
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
