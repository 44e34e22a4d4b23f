using System.Diagnostics;
using DropActivation.Sweeps.Planning;
using DropActivation.Sweeps.Status;

namespace DropActivation.Sweeps.Running;

/// <summary>
/// Executes one run of a sweep in its folder, the same way on this machine and inside a Slurm task:
/// skips it when train's summary says it is finished; otherwise starts <c>dropact train</c> as a child
/// process, fresh or with <c>--resume</c> when a checkpoint is there (a killed or preempted run continues
/// from its last epoch); appends train's output to <c>RUN_DIR/sweep.log</c>; records the attempt in
/// <c>RUN_DIR/sweep-status.json</c>. A lock file keeps two executors off one folder.
/// </summary>
public sealed class RunExecutor
{
    /// <summary>Train's output, appended per attempt.</summary>
    public const string LogFile = "sweep.log";

    private const string LockFile = ".sweep-lock";

    private readonly DropactLauncher _launcher;
    private readonly string _dataRoot;

    /// <summary>An executor that starts train through <paramref name="launcher"/> with data root <paramref name="dataRoot"/>.</summary>
    public RunExecutor(DropactLauncher launcher, string dataRoot)
    {
        _launcher = launcher;
        _dataRoot = dataRoot;
    }

    /// <summary>Executes <paramref name="run"/>; cancelling kills train and records the run as interrupted.</summary>
    /// <exception cref="SweepConflictException">The folder holds a run with other settings.</exception>
    public RunOutcome Execute(SweepRun run, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(run.Folder);
        var previous = RunStatusFile.Read(run.Folder);
        CheckFingerprint(run, previous);

        FileStream lockStream;
        try { lockStream = new FileStream(Path.Combine(run.Folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException)
        {
            return new RunOutcome(run.Id, RunOutcomeKind.Skipped, 0, false, 0, "another process is executing this run");
        }
        using (lockStream)
        {
            previous = RunStatusFile.Read(run.Folder);
            CheckFingerprint(run, previous);
            if (TrainRunFolder.IsFinished(run.Folder))
            {
                if (previous?.State != RunState.Done)
                    RunStatusFile.Write(run.Folder, (previous ?? NewRecord(run)) with { State = RunState.Done, ExitCode = previous?.ExitCode ?? 0, Message = null });
                return new RunOutcome(run.Id, RunOutcomeKind.Skipped, 0, false, 0, null);
            }
            return Attempt(run, previous, cancel);
        }
    }

    private RunOutcome Attempt(SweepRun run, RunStatusRecord? previous, CancellationToken cancel)
    {
        bool resume = TrainRunFolder.HasCheckpoint(run.Folder);
        var args = resume ? run.ResumeArguments(_dataRoot) : run.TrainArguments(_dataRoot);
        var commandLine = _launcher.CommandLine(args);
        using var self = Process.GetCurrentProcess();
        var record = (previous ?? NewRecord(run)) with
        {
            State = RunState.Running,
            Attempts = (previous?.Attempts ?? 0) + 1,
            Host = ProcessProbe.Host,
            Pid = Environment.ProcessId,
            PidStart = ProcessProbe.StartTime(self),
            TrainPid = null,
            TrainPidStart = null,
            SlurmJob = SlurmTaskId(),
            SlurmRestarts = SlurmTaskId() is null ? null : SlurmRestartCount(),
            Started = DateTime.UtcNow,
            Finished = null,
            ExitCode = null,
            Resumed = resume,
            Command = commandLine,
            Message = null,
        };
        RunStatusFile.Write(run.Folder, record);

        var clock = Stopwatch.StartNew();
        using var log = new StreamWriter(Path.Combine(run.Folder, LogFile), append: true) { AutoFlush = true };
        log.WriteLine($"=== {DateTime.UtcNow:O} attempt {record.Attempts} on {record.Host}{(record.SlurmJob is { } j ? $" (Slurm {j})" : "")}: {ShellQuote.Join(commandLine)}");

        int exit;
        string? message = null;
        string? lastError = null;
        bool interrupted = false;
        try
        {
            var psi = new ProcessStartInfo(_launcher.FileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = run.Folder,
            };
            foreach (var a in _launcher.PrefixArguments.Concat(args)) psi.ArgumentList.Add(a);
            using var process = new Process { StartInfo = psi };
            var gate = new object();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (gate)
                {
                    log.WriteLine(e.Data);
                    if (!string.IsNullOrWhiteSpace(e.Data)) lastError = e.Data.Trim();
                }
            };
            process.Start();
            RunStatusFile.Write(run.Folder, record = record with { TrainPid = process.Id, TrainPidStart = ProcessProbe.StartTime(process) });
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // Stopping the sweep asks train to checkpoint where it is (SIGTERM), and kills it only after a grace period.
            using (cancel.Register(() =>
            {
                interrupted = true;
                GracefulStop.Request(process, GracefulStop.DefaultGrace);
            }))
            {
                process.WaitForExit();
            }
            exit = process.ExitCode;
            // Stopped by a signal from elsewhere (scancel, a time limit, a person) after checkpointing: resumable.
            if (exit == GracefulStop.StoppedExitCode) interrupted = true;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            exit = 127;
            message = $"cannot start {_launcher.FileName}: {e.Message}";
        }

        bool finished = exit == 0 && !interrupted && TrainRunFolder.IsFinished(run.Folder);
        if (!finished)
        {
            message ??= interrupted
                ? exit == GracefulStop.StoppedExitCode
                    ? "interrupted by a signal after checkpointing its position (exit 75); run again to resume exactly"
                    : "interrupted (the sweep was stopped); run again to resume from the checkpoint"
                : exit == 0 ? $"train exited with 0 but {TrainRunFolder.SummaryFile} does not say finished"
                : $"train exited with code {exit}{(lastError is null ? "" : ": " + lastError)}";
        }
        log.WriteLine($"=== {DateTime.UtcNow:O} {(finished ? "done" : "failed: " + message)} after {clock.Elapsed.TotalSeconds:F1} s");
        RunStatusFile.Write(run.Folder, record with
        {
            State = finished ? RunState.Done : RunState.Failed,
            Finished = DateTime.UtcNow,
            ExitCode = exit,
            Message = message,
        });
        var kind = finished ? RunOutcomeKind.Done : interrupted ? RunOutcomeKind.Interrupted : RunOutcomeKind.Failed;
        return new RunOutcome(run.Id, kind, exit, resume, clock.Elapsed.TotalSeconds, message);
    }

    private static RunStatusRecord NewRecord(SweepRun run) => new() { Run = run.Id, Fingerprint = run.Fingerprint, State = RunState.Pending };

    private static void CheckFingerprint(SweepRun run, RunStatusRecord? previous)
    {
        if (previous is not null && previous.Fingerprint != run.Fingerprint)
            throw new SweepConflictException(
                $"{run.Folder} holds a run made with other settings (fingerprint {previous.Fingerprint}, the spec now gives {run.Fingerprint}); " +
                "use another output folder (--out) or delete that run folder");
    }

    /// <summary>How many times Slurm has requeued the task this process runs in (SLURM_RESTART_COUNT; 0 when unset).</summary>
    public static int SlurmRestartCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT"), out var n) && n > 0 ? n : 0;

    /// <summary>"JOBID_INDEX" of the Slurm array task this process runs in, the job id outside arrays, or null outside Slurm.</summary>
    public static string? SlurmTaskId()
    {
        var array = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID");
        var task = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID");
        if (!string.IsNullOrEmpty(array) && !string.IsNullOrEmpty(task)) return $"{array}_{task}";
        var job = Environment.GetEnvironmentVariable("SLURM_JOB_ID");
        return string.IsNullOrEmpty(job) ? null : job;
    }
}
