using DropActivation.Sweeps.Planning;
using DropActivation.Sweeps.Status;

namespace DropActivation.Sweeps.Slurm;

/// <summary>
/// What a Slurm array task does after Slurm's time-limit warning (SIGUSR1) stopped its run with a checkpoint:
/// it requeues itself (<c>scontrol requeue JOBID_INDEX</c>, as submitit does), so the run resumes exactly where it
/// stopped when Slurm starts the task again, unless the task was requeued <c>maxRequeues</c> times already. The run's
/// status record says which, so <c>dropact sweep status</c> shows requeued tasks.
/// </summary>
public static class TimeLimitRequeue
{
    /// <summary>Requeues the task this process runs in (or records why not) and says what it does on <paramref name="output"/> first.</summary>
    /// <param name="run">The run the warning stopped (its checkpoint is written).</param>
    /// <param name="maxRequeues">Requeues allowed in all.</param>
    /// <param name="task">"JOBID_INDEX" of this task (null outside Slurm).</param>
    /// <param name="restarts">How many times it was requeued so far (SLURM_RESTART_COUNT).</param>
    /// <param name="client">Slurm, located when needed.</param>
    /// <param name="output">The task's log (Slurm's output file).</param>
    /// <returns>Whether the task was requeued.</returns>
    public static bool Apply(SweepRun run, int maxRequeues, string? task, int restarts, Func<SlurmClient> client, TextWriter output)
    {
        if (task is null)
        {
            output.WriteLine($"stopped {run.Id} at SIGUSR1 outside Slurm: not requeued; run again to resume from its checkpoint");
            return false;
        }
        var record = RunStatusFile.Read(run.Folder) ?? throw new InvalidOperationException($"{run.Folder} has no {RunStatusFile.FileName}");
        if (restarts >= maxRequeues)
        {
            var message = $"stopped at Slurm's time limit after {restarts} requeue(s) (--max-requeues {maxRequeues}); submit again to resume from its checkpoint";
            RunStatusFile.Write(run.Folder, record with { Message = message });
            output.WriteLine($"{task} {message}");
            return false;
        }
        var said = $"requeued at Slurm's time limit ({restarts + 1} of at most {maxRequeues}); resumes from its checkpoint";
        RunStatusFile.Write(run.Folder, record with { State = RunState.Pending, Message = said });
        output.WriteLine($"{task} {said}");
        output.Flush();
        try
        {
            // Slurm ends this task as soon as it is requeued: nothing may come after this call.
            client().Requeue(task);
        }
        catch (Exception e) when (e is SlurmCommandException or SlurmUnavailableException)
        {
            RunStatusFile.Write(run.Folder, record with { Message = $"stopped at Slurm's time limit; requeueing failed ({e.Message}); submit again to resume" });
            output.WriteLine($"{task} could not requeue itself: {e.Message}");
            return false;
        }
        return true;
    }
}
