using System.Globalization;

namespace DropActivation.Sweeps.Tests;

/// <summary>The local runner and the run executor, with a shell script standing in for dropact train.</summary>
public class LocalRunnerTests
{
    private const string Spec = """{"name":"fake","models":["m"],"datasets":["d"],"activations":["relu","dropact"],"p":[0.9],"seeds":[1,2]}""";

    private static (SweepPlan Plan, DropactLauncher Launcher) Setup(TempFolder tmp)
    {
        var plan = SweepPlan.Expand(SweepSpecReader.Parse(Spec, "fake.json"), Path.Combine(tmp.Path, "out"), Path.Combine(tmp.Path, "data"));
        Directory.CreateDirectory(plan.Root);
        return (plan, FakeTrain.Install(tmp.Path));
    }

    private static IReadOnlyList<RunStatus> Status(SweepPlan plan) => SweepStatusReader.Read(plan, SlurmObserver.Unavailable("no Slurm in this test"));

    private static IReadOnlyList<RunOutcome> Run(SweepPlan plan, DropactLauncher launcher, int jobs, CancellationToken cancel = default) =>
        new LocalSweepRunner(launcher, TextWriter.Null).Run(plan, Status(plan), jobs, cancel);

    private static int Invocations(SweepRun run) =>
        File.Exists(Path.Combine(run.Folder, "fake-args")) ? File.ReadAllLines(Path.Combine(run.Folder, "fake-args")).Length : 0;

    [Fact]
    public void Jobs_2_runs_every_run_two_at_a_time_and_a_second_sweep_skips_them_all()
    {
        using var tmp = new TempFolder();
        var (plan, launcher) = Setup(tmp);
        // Each run waits until a second one is in progress: with fewer than two at once they fail.
        File.WriteAllText(Path.Combine(plan.Root, "fake-barrier"), "2");
        Assert.All(Status(plan), s => Assert.Equal(RunState.Pending, s.State));

        var outcomes = Run(plan, launcher, jobs: 2);
        Assert.All(outcomes, o => Assert.Equal(RunOutcomeKind.Done, o.Kind));
        Assert.All(Status(plan), s => Assert.Equal(RunState.Done, s.State));

        // At most two at once, and some did overlap.
        var intervals = plan.Runs.Select(r =>
        {
            var t = File.ReadAllLines(Path.Combine(r.Folder, "fake-times")).Select(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).ToArray();
            return (Start: t[0], End: t[1]);
        }).ToList();
        int maxConcurrent = intervals.Max(a => intervals.Count(b => b.Start <= a.Start && a.Start < b.End));
        Assert.Equal(2, maxConcurrent);

        var again = Run(plan, launcher, jobs: 2);
        Assert.Empty(again);
        Assert.All(plan.Runs, r => Assert.Equal(1, Invocations(r)));
        var record = RunStatusFile.Read(plan.Runs[0].Folder)!;
        Assert.Equal((RunState.Done, 1, 0, false), (record.State, record.Attempts, record.ExitCode, record.Resumed));
        Assert.Equal(plan.Runs[0].Fingerprint, record.Fingerprint);
        Assert.Contains("--out", record.Command!);
    }

    [Fact]
    public void A_failed_run_is_recorded_with_its_exit_code_and_the_next_sweep_retries_only_it_from_its_checkpoint()
    {
        using var tmp = new TempFolder();
        var (plan, launcher) = Setup(tmp);
        var victim = plan.Runs[2];
        Directory.CreateDirectory(victim.Folder);
        File.WriteAllText(Path.Combine(victim.Folder, "fail-with"), "3");
        File.WriteAllText(Path.Combine(victim.Folder, "checkpoint.dact"), "epoch 1");

        var first = Run(plan, launcher, jobs: 2);
        var failed = Assert.Single(first, o => o.Kind == RunOutcomeKind.Failed);
        Assert.Equal((victim.Id, 3, true), (failed.RunId, failed.ExitCode, failed.Resumed));
        Assert.Contains("planted failure", failed.Message);
        var status = Status(plan);
        Assert.Equal(RunState.Failed, status[2].State);
        Assert.Contains("code 3", status[2].Detail);
        Assert.Equal(3, status.Count(s => s.State == RunState.Done));
        Assert.Contains("planted failure", File.ReadAllText(Path.Combine(victim.Folder, RunExecutor.LogFile)));

        File.Delete(Path.Combine(victim.Folder, "fail-with"));
        var second = Run(plan, launcher, jobs: 2);
        var retried = Assert.Single(second);
        Assert.Equal((victim.Id, RunOutcomeKind.Done, true), (retried.RunId, retried.Kind, retried.Resumed));
        Assert.Equal([1, 1, 2, 1], plan.Runs.Select(Invocations));
        Assert.All(File.ReadAllLines(Path.Combine(victim.Folder, "fake-args")), l => Assert.StartsWith($"train --resume {victim.Folder} --data", l));
        var record = RunStatusFile.Read(victim.Folder)!;
        Assert.Equal((RunState.Done, 2, true), (record.State, record.Attempts, record.Resumed));
    }

    [Fact]
    public void A_run_whose_process_is_gone_is_failed_and_one_with_a_live_process_is_running_and_left_alone()
    {
        using var tmp = new TempFolder();
        var (plan, launcher) = Setup(tmp);
        Directory.CreateDirectory(plan.Runs[0].Folder);
        Directory.CreateDirectory(plan.Runs[1].Folder);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        RunStatusFile.Write(plan.Runs[0].Folder, new RunStatusRecord
        {
            Run = plan.Runs[0].Id, Fingerprint = plan.Runs[0].Fingerprint, State = RunState.Running, Attempts = 1, Host = ProcessProbe.Host,
            Pid = Environment.ProcessId, PidStart = ProcessProbe.StartTime(self),
        });
        RunStatusFile.Write(plan.Runs[1].Folder, new RunStatusRecord
        {
            Run = plan.Runs[1].Id, Fingerprint = plan.Runs[1].Fingerprint, State = RunState.Running, Attempts = 1, Host = ProcessProbe.Host,
            Pid = Environment.ProcessId, PidStart = ProcessProbe.StartTime(self)!.Value.AddHours(-1), // a reused pid
        });
        var status = Status(plan);
        Assert.Equal(RunState.Running, status[0].State);
        Assert.Equal(RunState.Failed, status[1].State);
        Assert.Contains("interrupted", status[1].Detail);

        var outcomes = Run(plan, launcher, jobs: 1);
        Assert.Equal([plan.Runs[1].Id, plan.Runs[2].Id, plan.Runs[3].Id], outcomes.Select(o => o.RunId));
        Assert.Equal(0, Invocations(plan.Runs[0]));
    }

    [Fact]
    public void A_folder_made_with_other_settings_is_a_conflict_that_stops_the_sweep_before_it_starts()
    {
        using var tmp = new TempFolder();
        var (plan, launcher) = Setup(tmp);
        Directory.CreateDirectory(plan.Runs[3].Folder);
        RunStatusFile.Write(plan.Runs[3].Folder, new RunStatusRecord { Run = plan.Runs[3].Id, Fingerprint = "0123456789ab", State = RunState.Done, Attempts = 1 });
        var status = Status(plan);
        Assert.Equal(RunState.Conflict, status[3].State);
        var e = Assert.Throws<SweepConflictException>(() => Run(plan, launcher, jobs: 2));
        Assert.Contains(plan.Runs[3].Folder, e.Message);
        Assert.All(plan.Runs, r => Assert.Equal(0, Invocations(r)));
        Assert.Throws<SweepConflictException>(() => new RunExecutor(launcher, "/data").Execute(plan.Runs[3]));
    }

    [Fact]
    public void Stopping_the_sweep_kills_train_and_records_the_run_as_interrupted()
    {
        using var tmp = new TempFolder();
        var (plan, launcher) = Setup(tmp);
        File.WriteAllText(Path.Combine(plan.Root, "fake-sleep"), "30");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = new StringWriter();
        var outcomes = new LocalSweepRunner(launcher, progress).Run(plan, Status(plan), 1, cancel.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains("0 done, 0 failed, 1 interrupted, 3 not started, 0 skipped", progress.ToString());
        Assert.Equal(RunOutcomeKind.Interrupted, outcomes[0].Kind);
        Assert.All(outcomes.Skip(1), o => Assert.Equal(RunOutcomeKind.NotStarted, o.Kind));
        var record = RunStatusFile.Read(plan.Runs[0].Folder)!;
        Assert.Equal(RunState.Failed, record.State);
        Assert.Contains("interrupted", record.Message);
        Assert.False(File.Exists(Path.Combine(plan.Runs[0].Folder, "summary.json")));
        Assert.False(ProcessProbe.IsAlive(record.TrainPid, record.TrainPidStart));
        Assert.Equal(0, Invocations(plan.Runs[1]));
    }
}
