using System.Diagnostics;
using DropActivation.Sweeps.Planning;
using DropActivation.Sweeps.Status;

namespace DropActivation.Sweeps.Running;

/// <summary>
/// Runs a sweep on this machine, <c>jobs</c> runs at a time: every run that is not done and not running
/// elsewhere (here or in Slurm), failed and interrupted ones included, which resume from their checkpoints.
/// </summary>
public sealed class LocalSweepRunner
{
    private readonly DropactLauncher _launcher;
    private readonly TextWriter _progress;
    private readonly object _gate = new();

    /// <summary>A runner that starts train through <paramref name="launcher"/> and reports progress to <paramref name="progress"/>.</summary>
    public LocalSweepRunner(DropactLauncher launcher, TextWriter progress)
    {
        _launcher = launcher;
        _progress = progress;
    }

    /// <summary>Runs what is left of <paramref name="plan"/>; <paramref name="statuses"/> says what is done or running (from <see cref="SweepStatusReader"/>).</summary>
    /// <exception cref="SweepConflictException">Some run folders were made with other settings (nothing is started then).</exception>
    public async Task<IReadOnlyList<RunOutcome>> RunAsync(SweepPlan plan, IReadOnlyList<RunStatus> statuses, int jobs, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        ThrowOnConflicts(statuses);
        var dataRoot = plan.RequireDataRoot();
        var todo = statuses.Where(s => s.State is RunState.Pending or RunState.Failed && !s.QueuedInSlurm).Select(s => s.Run).ToList();
        int skipped = statuses.Count - todo.Count;
        lock (_gate)
            _progress.WriteLine($"sweep {plan.Spec.Name}: {statuses.Count} runs, {todo.Count} to run, {skipped} done or running elsewhere; {jobs} at a time; output in {plan.Root}");

        var executor = new RunExecutor(_launcher, dataRoot);
        var outcomes = new RunOutcome[todo.Count];
        int started = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, todo.Count), new ParallelOptions { MaxDegreeOfParallelism = jobs }, async (i, _) =>
        {
            if (cancel.IsCancellationRequested)
            {
                outcomes[i] = new RunOutcome(todo[i].Id, RunOutcomeKind.Failed, -1, false, 0, "not started: the sweep was stopped");
                return;
            }
            int n = Interlocked.Increment(ref started);
            lock (_gate) _progress.WriteLine($"[{n}/{todo.Count}] start {todo[i].Id}{(TrainRunFolder.HasCheckpoint(todo[i].Folder) ? " (resuming)" : "")}");
            var outcome = await Task.Run(() => executor.Execute(todo[i], cancel), CancellationToken.None);
            outcomes[i] = outcome;
            lock (_gate)
                _progress.WriteLine(outcome.Kind switch
                {
                    RunOutcomeKind.Done => $"done  {outcome.RunId} in {outcome.Seconds:F1} s",
                    RunOutcomeKind.Skipped => $"skip  {outcome.RunId}{(outcome.Message is { } m ? ": " + m : ": already done")}",
                    _ => $"FAIL  {outcome.RunId}: {outcome.Message} (log: {Path.Combine(todo[i].Folder, RunExecutor.LogFile)})",
                });
        });
        int failed = outcomes.Count(o => o.Kind == RunOutcomeKind.Failed);
        lock (_gate)
            _progress.WriteLine($"sweep {plan.Spec.Name}: {outcomes.Count(o => o.Kind == RunOutcomeKind.Done)} done, {failed} failed, " +
                $"{skipped + outcomes.Count(o => o.Kind == RunOutcomeKind.Skipped)} skipped in {clock.Elapsed.TotalSeconds:F1} s");
        return outcomes;
    }

    /// <summary>Throws when any run is in <see cref="RunState.Conflict"/>, naming them.</summary>
    /// <exception cref="SweepConflictException">There are conflicts.</exception>
    public static void ThrowOnConflicts(IReadOnlyList<RunStatus> statuses)
    {
        var conflicts = statuses.Where(s => s.State == RunState.Conflict).ToList();
        if (conflicts.Count == 0) return;
        throw new SweepConflictException(
            $"{conflicts.Count} run folder(s) were made with other settings than the spec now gives ({string.Join(", ", conflicts.Take(3).Select(c => c.Run.Folder))}" +
            $"{(conflicts.Count > 3 ? ", ..." : "")}); use another output folder (--out) or delete them");
    }
}
