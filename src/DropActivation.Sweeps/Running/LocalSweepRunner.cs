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

    /// <summary>
    /// Runs what is left of <paramref name="plan"/> on <paramref name="jobs"/> worker threads (one blocked per running
    /// train, so no run waits for the thread pool); <paramref name="statuses"/> says what is done or running
    /// (from <see cref="SweepStatusReader"/>). Cancelling stops train in every running run and starts no more.
    /// </summary>
    /// <exception cref="SweepConflictException">Some run folders were made with other settings (nothing is started then).</exception>
    public IReadOnlyList<RunOutcome> Run(SweepPlan plan, IReadOnlyList<RunStatus> statuses, int jobs, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        ThrowOnConflicts(statuses);
        var dataRoot = plan.RequireDataRoot();
        var todo = statuses.Where(s => s.NeedsRun).Select(s => s.Run).ToList();
        int skipped = statuses.Count - todo.Count;
        lock (_gate)
            _progress.WriteLine($"sweep {plan.Spec.Name}: {statuses.Count} runs, {todo.Count} to run, {skipped} done or running elsewhere; {jobs} at a time; output in {plan.Root}");

        var executor = new RunExecutor(_launcher, dataRoot);
        var outcomes = new RunOutcome[todo.Count];
        int next = -1;
        int started = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var clock = Stopwatch.StartNew();
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < todo.Count)
            {
                var run = todo[i];
                if (cancel.IsCancellationRequested)
                {
                    outcomes[i] = new RunOutcome(run.Id, RunOutcomeKind.NotStarted, -1, false, 0, "not started: the sweep was stopped");
                    continue;
                }
                try
                {
                    int n = Interlocked.Increment(ref started);
                    lock (_gate) _progress.WriteLine($"[{n}/{todo.Count}] start {run.Id}{(TrainRunFolder.HasCheckpoint(run.Folder) ? " (resuming)" : "")}");
                    var outcome = outcomes[i] = executor.Execute(run, cancel);
                    lock (_gate)
                        _progress.WriteLine(outcome.Kind switch
                        {
                            RunOutcomeKind.Done => $"done  {outcome.RunId} in {outcome.Seconds:F1} s",
                            RunOutcomeKind.Skipped => $"skip  {outcome.RunId}{(outcome.Message is { } m ? ": " + m : ": already done")}",
                            RunOutcomeKind.Interrupted => $"stop  {outcome.RunId}: {outcome.Message}",
                            _ => $"FAIL  {outcome.RunId}: {outcome.Message} (log: {Path.Combine(run.Folder, RunExecutor.LogFile)})",
                        });
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                    outcomes[i] = new RunOutcome(run.Id, RunOutcomeKind.Failed, -1, false, 0, e.Message);
                    lock (_gate) _progress.WriteLine($"FAIL  {run.Id}: {e.Message}");
                }
            }
        }
        var workers = Enumerable.Range(0, Math.Min(jobs, todo.Count))
            .Select(k => new Thread(Work) { IsBackground = true, Name = $"sweep-worker-{k}" }).ToList();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        if (errors.OfType<SweepConflictException>().FirstOrDefault() is { } conflict) throw conflict;

        int Count(RunOutcomeKind kind) => outcomes.Count(o => o.Kind == kind);
        string stopped = Count(RunOutcomeKind.Interrupted) + Count(RunOutcomeKind.NotStarted) == 0 ? ""
            : $"{Count(RunOutcomeKind.Interrupted)} interrupted, {Count(RunOutcomeKind.NotStarted)} not started, ";
        lock (_gate)
            _progress.WriteLine($"sweep {plan.Spec.Name}: {Count(RunOutcomeKind.Done)} done, {Count(RunOutcomeKind.Failed)} failed, {stopped}" +
                $"{skipped + Count(RunOutcomeKind.Skipped)} skipped in {clock.Elapsed.TotalSeconds:F1} s");
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
