using DropActivation.Sweeps.Planning;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Slurm;

namespace DropActivation.Sweeps.Status;

/// <summary>
/// Reads where every run of a plan stands from its folder (train's summary, the sweep's status record,
/// live processes on this machine) and, for runs submitted to Slurm, from Slurm when it is reachable:
/// queued and running array tasks, and tasks that ended without recording an outcome (cancelled,
/// preempted, out of time, failed to start).
/// </summary>
public static class SweepStatusReader
{
    /// <summary>The status of every run of <paramref name="plan"/>, in plan order.</summary>
    public static IReadOnlyList<RunStatus> Read(SweepPlan plan, SlurmObserver slurm)
    {
        var submissions = SlurmSubmissionLog.Read(plan.StateFolder);
        var latest = new Dictionary<string, (SlurmSubmission Submission, int Index)>(StringComparer.Ordinal);
        foreach (var s in submissions)
            foreach (var (index, id) in s.Tasks) latest[id] = (s, index);
        return plan.Runs.Select(r => Of(r, latest.TryGetValue(r.Id, out var sub) ? sub : null, slurm)).ToList();
    }

    private static RunStatus Of(SweepRun run, (SlurmSubmission Submission, int Index)? submitted, SlurmObserver slurm)
    {
        RunStatusRecord? record;
        try { record = RunStatusFile.Read(run.Folder); }
        catch (InvalidDataException e) { return new RunStatus(run, RunState.Failed, e.Message, null, null, false); }

        var task = submitted is { } s ? $"{s.Submission.JobId}_{s.Index}" : null;
        if (record is not null && record.Fingerprint != run.Fingerprint)
            return new RunStatus(run, RunState.Conflict, $"folder made with other settings (fingerprint {record.Fingerprint}, spec {run.Fingerprint})", record, task, false);
        if (TrainRunFolder.IsFinished(run.Folder))
            return new RunStatus(run, RunState.Done, $"{TrainRunFolder.EpochsLogged(run.Folder)} epochs{Attempts(record)}", record, record?.SlurmJob ?? task, false);

        if (record?.State == RunState.Running)
        {
            var epochs = $"epoch {TrainRunFolder.EpochsLogged(run.Folder)} logged{Attempts(record)}";
            if (record.Host == ProcessProbe.Host && (ProcessProbe.IsAlive(record.Pid, record.PidStart) || ProcessProbe.IsAlive(record.TrainPid, record.TrainPidStart)))
                return new RunStatus(run, RunState.Running, $"pid {record.Pid} here{(record.SlurmJob is { } j ? $", Slurm {j}" : "")}, {epochs}", record, record.SlurmJob, record.SlurmJob is not null);
            if (record.SlurmJob is { } job)
            {
                var info = slurm.Find(job);
                if (info is { IsRunning: true })
                    return new RunStatus(run, RunState.Running, $"Slurm {job} on {record.Host}, {epochs}", record, job, true);
                if (info is { IsPending: true })
                    return new RunStatus(run, RunState.Pending, $"requeued in Slurm ({job}), will resume; {epochs}", record, job, true);
                if (info is null && slurm.UnavailableReason is not null)
                    return new RunStatus(run, RunState.Running, $"Slurm {job} on {record.Host} (Slurm not reachable to check), {epochs}", record, job, true);
                var said = info is null ? "Slurm no longer knows the task" : $"Slurm says {info.State}{(info.ExitCode is { } x ? $" (exit {x})" : "")}";
                return new RunStatus(run, RunState.Failed, $"interrupted: {said}; will resume from the checkpoint, {epochs}", record, job, false);
            }
            if (record.Host != ProcessProbe.Host)
                return new RunStatus(run, RunState.Running, $"on {record.Host} (cannot check from {ProcessProbe.Host}), {epochs}", record, null, false);
            return new RunStatus(run, RunState.Failed, $"interrupted: its process is gone; will resume from the checkpoint, {epochs}", record, null, false);
        }

        if (task is not null && record?.SlurmJob != task)
        {
            // Submitted, and that task has not recorded anything in the folder yet.
            var info = slurm.Find(task);
            if (info is { IsPending: true })
                return new RunStatus(run, RunState.Pending, $"queued in Slurm ({task}{(info.Reason is { } r ? ", " + r : "")})", record, task, true);
            if (info is { IsRunning: true })
                return new RunStatus(run, RunState.Running, $"starting in Slurm ({task})", record, task, true);
            if (info is null && slurm.UnavailableReason is not null)
                return new RunStatus(run, RunState.Pending, $"submitted as {task}; Slurm not reachable to check", record, task, true);
            var output = submitted!.Value.Submission.OutputFile(submitted.Value.Index);
            if (info is not null)
                return new RunStatus(run, RunState.Failed, $"Slurm task {task} ended {info.State}{(info.ExitCode is { } x ? $" (exit {x})" : "")} before starting the run; see {output}", record, task, false);
            if (record is null)
                return new RunStatus(run, RunState.Failed, $"Slurm task {task} is gone without starting the run; see {output}", record, task, false);
        }

        // Requeued (by itself at its time limit, or by Slurm after a preemption) and waiting or starting again.
        if (record is { State: RunState.Pending or RunState.Failed, SlurmJob: { } again } && slurm.Find(again) is { } queued && (queued.IsPending || queued.IsRunning))
            return new RunStatus(run, queued.IsPending ? RunState.Pending : RunState.Running,
                $"requeued in Slurm ({again}{(queued.Reason is { } why ? ", " + why : "")})" +
                $"{(record.State == RunState.Pending ? ": " + record.Message : ", resumes from its checkpoint")}; epoch {TrainRunFolder.EpochsLogged(run.Folder)} logged{Attempts(record)}",
                record, again, true);
        if (record is { State: RunState.Pending, SlurmJob: { } lost })
            return new RunStatus(run, RunState.Failed, $"requeued as {lost}, which Slurm no longer has; submit again to resume from its checkpoint{Attempts(record)}", record, lost, false);
        if (record?.State == RunState.Failed)
            return new RunStatus(run, RunState.Failed, $"{record.Message ?? $"exit code {record.ExitCode}"}{Attempts(record)}", record, record.SlurmJob, false);
        if (record is not null)
            return new RunStatus(run, RunState.Failed, $"status says '{record.State.ToString().ToLowerInvariant()}' but train's summary does not say finished{Attempts(record)}", record, record.SlurmJob, false);
        if (TrainRunFolder.HasCheckpoint(run.Folder))
            return new RunStatus(run, RunState.Failed, $"a checkpoint without a sweep record (epoch {TrainRunFolder.EpochsLogged(run.Folder)} logged); will resume", null, null, false);
        return new RunStatus(run, RunState.Pending, "not started", null, null, false);
    }

    private static string Attempts(RunStatusRecord? record) =>
        (record is { Attempts: > 1 } ? $", {record.Attempts} attempts" : "") + (record?.SlurmRestarts is { } n and > 0 ? $", requeued {n} time{(n == 1 ? "" : "s")}" : "");
}
