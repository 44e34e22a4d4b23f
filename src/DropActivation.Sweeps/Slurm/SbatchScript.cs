using System.Globalization;
using System.Text;
using DropActivation.Sweeps.Running;

namespace DropActivation.Sweeps.Slurm;

/// <summary>
/// The sbatch script of a sweep submission: one array task per run to do (the array index is the run's
/// index in the plan), each calling back into the same dropact as <c>dropact sweep task SPEC --index
/// $SLURM_ARRAY_TASK_ID</c> on a frozen copy of the spec. Tasks are requeueable: a preempted task runs
/// again and resumes from the run's checkpoint. Before the time limit Slurm sends the task SIGUSR1
/// (<c>--signal=B:USR1@N</c>; the batch shell is dropact itself, by <c>exec</c>): the run checkpoints its position
/// inside the epoch and the task requeues itself (<c>scontrol requeue</c>), at most <c>--max-requeues</c> times.
/// </summary>
public static class SbatchScript
{
    /// <summary>Renders the script.</summary>
    /// <param name="sweepName">Sweep name (job name "dropact-NAME").</param>
    /// <param name="indices">Plan indices to run.</param>
    /// <param name="launcher">The dropact to call back.</param>
    /// <param name="frozenSpec">Absolute path of the frozen spec.</param>
    /// <param name="logFolder">Absolute folder for the tasks' output files (<c>%A_%a.out</c>).</param>
    /// <param name="workFolder">Absolute working folder of the tasks.</param>
    /// <param name="resources">What each task asks for.</param>
    public static string Render(string sweepName, IEnumerable<int> indices, DropactLauncher launcher, string frozenSpec,
        string logFolder, string workFolder, SlurmResources resources)
    {
        var ids = indices.ToArray();
        var array = ArrayIndices.Format(ids);
        if (resources.MaxRunning is { } max) array += "%" + max.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append($"# Written by 'dropact sweep submit' for sweep {sweepName}: {ids.Length} run(s), one array task each.\n");
        sb.Append($"#SBATCH --job-name=dropact-{sweepName}\n");
        sb.Append($"#SBATCH --array={array}\n");
        sb.Append($"#SBATCH --output={Path.Combine(logFolder, "%A_%a.out")}\n");
        sb.Append("#SBATCH --open-mode=append\n");
        sb.Append("#SBATCH --requeue\n");
        sb.Append($"#SBATCH --signal=B:USR1@{resources.WarnBeforeSeconds.ToString(CultureInfo.InvariantCulture)}\n");
        sb.Append($"#SBATCH --chdir={workFolder}\n");
        sb.Append("#SBATCH --ntasks=1\n");
        if (resources.Partition is { } partition) sb.Append($"#SBATCH --partition={partition}\n");
        if (resources.Account is { } account) sb.Append($"#SBATCH --account={account}\n");
        if (resources.Time is { } time) sb.Append($"#SBATCH --time={time}\n");
        if (resources.Gpus is { } gpus) sb.Append($"#SBATCH --gpus={gpus.ToString(CultureInfo.InvariantCulture)}\n");
        if (resources.Cpus is { } cpus) sb.Append($"#SBATCH --cpus-per-task={cpus.ToString(CultureInfo.InvariantCulture)}\n");
        if (resources.Mem is { } mem) sb.Append($"#SBATCH --mem={mem}\n");
        sb.Append("set -u\n");
        sb.Append("echo \"$(date -u +%FT%TZ) task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname) (restart ${SLURM_RESTART_COUNT:-0})\"\n");
        var command = launcher.CommandLine(["sweep", "task", frozenSpec]);
        sb.Append("exec ").Append(ShellQuote.Join(command)).Append(" --index \"$SLURM_ARRAY_TASK_ID\" --max-requeues ")
            .Append(resources.MaxRequeues.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }
}
