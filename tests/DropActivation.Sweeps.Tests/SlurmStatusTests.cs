namespace DropActivation.Sweeps.Tests;

/// <summary>How submitted runs are read back (queued, running, ended early, unreachable), against stand-in Slurm commands.</summary>
public class SlurmStatusTests
{
    private const string Spec = """{"name":"fake","models":["m"],"datasets":["d"],"activations":["relu","dropact"],"p":[0.9],"seeds":[1,2]}""";

    [Fact]
    public void Submitted_runs_read_as_queued_running_or_failed_and_resubmission_takes_only_what_needs_running()
    {
        using var tmp = new TempFolder();
        var plan = SweepPlan.Expand(SweepSpecReader.Parse(Spec, "fake.json"), Path.Combine(tmp.Path, "out"), "/data");
        var slurm = new FakeSlurm(Path.Combine(tmp.Path, "bin"));
        var client = SlurmClient.Locate(slurm.Folder);
        client.EnsureReachable();
        var launcher = new DropactLauncher("/usr/bin/dotnet", ["/opt/dropact.dll"]);

        var first = SlurmSweepSubmitter.Submit(plan, SweepStatusReader.Read(plan, new SlurmObserver(client)), launcher, new SlurmResources(), client)!;
        Assert.Equal("42", first.JobId);
        Assert.Equal([0, 1, 2, 3], first.Tasks.Keys.Order());
        Assert.Contains("#SBATCH --array=0-3", File.ReadAllText(Path.Combine(slurm.Folder, "submitted.sbatch")));
        var frozen = SweepSpecReader.ReadFile(first.FrozenSpec);
        Assert.Equal(("/data", plan.Root), (frozen.Data, frozen.Out));

        slurm.Queue("42_[2-3]|PENDING|Resources\n42_1|RUNNING|None\n");
        slurm.Job("42", "JobId=43 ArrayJobId=42 ArrayTaskId=0 JobState=FAILED Reason=NonZeroExitCode ExitCode=127:0\n");
        var status = SweepStatusReader.Read(plan, new SlurmObserver(client));
        Assert.Equal([RunState.Failed, RunState.Running, RunState.Pending, RunState.Pending], status.Select(s => s.State));
        Assert.Contains("42_0 ended FAILED (exit 127:0) before starting the run", status[0].Detail);
        Assert.Contains("42_0.out", status[0].Detail);
        Assert.Contains("queued in Slurm (42_2, Resources)", status[2].Detail);
        Assert.Equal([true, false, false, false], status.Select(s => s.NeedsRun));

        var second = SlurmSweepSubmitter.Submit(plan, status, launcher, new SlurmResources(), client)!;
        Assert.Equal([0], second.Tasks.Keys);
        Assert.Contains("#SBATCH --array=0\n", File.ReadAllText(Path.Combine(slurm.Folder, "submitted.sbatch")));
        Assert.Equal(2, SlurmSubmissionLog.Read(plan.StateFolder).Count);
    }

    [Fact]
    public void A_run_whose_slurm_task_died_reads_as_interrupted_and_one_requeued_as_pending()
    {
        using var tmp = new TempFolder();
        var plan = SweepPlan.Expand(SweepSpecReader.Parse(Spec, "fake.json"), Path.Combine(tmp.Path, "out"), "/data");
        var slurm = new FakeSlurm(Path.Combine(tmp.Path, "bin"));
        var client = SlurmClient.Locate(slurm.Folder);
        foreach (var (run, task) in new[] { (plan.Runs[0], "42_0"), (plan.Runs[1], "42_1") })
        {
            Directory.CreateDirectory(run.Folder);
            RunStatusFile.Write(run.Folder, new RunStatusRecord
            {
                Run = run.Id, Fingerprint = run.Fingerprint, State = RunState.Running, Attempts = 1, Host = "node7", Pid = 1234, SlurmJob = task,
            });
        }
        slurm.Queue("42_1|PENDING|BeginTime\n");
        slurm.Job("42", "JobId=43 ArrayJobId=42 ArrayTaskId=0 JobState=PREEMPTED Reason=None ExitCode=0:15\n");
        var status = SweepStatusReader.Read(plan, new SlurmObserver(client));
        Assert.Equal(RunState.Failed, status[0].State);
        Assert.Contains("interrupted: Slurm says PREEMPTED", status[0].Detail);
        Assert.True(status[0].NeedsRun);
        Assert.Equal(RunState.Pending, status[1].State);
        Assert.Contains("requeued", status[1].Detail);
        Assert.False(status[1].NeedsRun);

        // Without Slurm, a run that a Slurm task is running elsewhere is taken as running, never restarted.
        var blind = SweepStatusReader.Read(plan, SlurmObserver.Unavailable("no Slurm here"));
        Assert.Equal(RunState.Running, blind[0].State);
        Assert.False(blind[0].NeedsRun);
    }

    [Fact]
    public void An_unreachable_controller_is_an_error_quoting_scontrol_and_naming_the_configuration()
    {
        using var tmp = new TempFolder();
        var slurm = new FakeSlurm(Path.Combine(tmp.Path, "bin"));
        slurm.Ping("Slurmctld(primary) at head1 is DOWN", 1);
        var e = Assert.Throws<SlurmUnavailableException>(() => SlurmClient.Locate(slurm.Folder).EnsureReachable());
        Assert.Contains("not reachable", e.Message);
        Assert.Contains("head1 is DOWN", e.Message);
        Assert.Contains("SLURM_CONF", e.Message);
    }

    [Fact]
    public void At_the_time_limit_warning_a_task_requeues_itself_until_its_cap_and_status_shows_it_requeued()
    {
        using var tmp = new TempFolder();
        var plan = SweepPlan.Expand(SweepSpecReader.Parse(Spec, "fake.json"), Path.Combine(tmp.Path, "out"), "/data");
        var slurm = new FakeSlurm(Path.Combine(tmp.Path, "bin"));
        var run = plan.Runs[0];
        Directory.CreateDirectory(run.Folder);
        var stopped = new RunStatusRecord
        {
            Run = run.Id, Fingerprint = run.Fingerprint, State = RunState.Failed, Attempts = 2, SlurmJob = "42_0", SlurmRestarts = 1, Message = "interrupted",
        };
        RunStatusFile.Write(run.Folder, stopped);
        var log = new StringWriter();
        Assert.True(TimeLimitRequeue.Apply(run, 3, "42_0", 1, () => SlurmClient.Locate(slurm.Folder), log));
        Assert.Equal("42_0\n", File.ReadAllText(Path.Combine(slurm.Folder, "requeued.txt")));
        Assert.Contains("requeued at Slurm's time limit (2 of at most 3)", log.ToString());
        Assert.Equal(RunState.Pending, RunStatusFile.Read(run.Folder)!.State);

        slurm.Queue("42_0|PENDING|BeginTime\n");
        var status = SweepStatusReader.Read(plan, new SlurmObserver(SlurmClient.Locate(slurm.Folder)))[0];
        Assert.Equal((RunState.Pending, true, false), (status.State, status.QueuedInSlurm, status.NeedsRun));
        Assert.Contains("requeued in Slurm (42_0, BeginTime): requeued at Slurm's time limit (2 of at most 3)", status.Detail);
        Assert.Contains("2 attempts, requeued 1 time", status.Detail);
        // Gone from Slurm without running again: a failure that re-submission picks up.
        slurm.Queue("");
        var lost = SweepStatusReader.Read(plan, new SlurmObserver(SlurmClient.Locate(slurm.Folder)))[0];
        Assert.Equal((RunState.Failed, true), (lost.State, lost.NeedsRun));

        // At the cap the task stops for good, says why, and asks Slurm for nothing.
        RunStatusFile.Write(run.Folder, stopped);
        File.Delete(Path.Combine(slurm.Folder, "requeued.txt"));
        Assert.False(TimeLimitRequeue.Apply(run, 3, "42_0", 3, () => SlurmClient.Locate(slurm.Folder), log));
        Assert.False(File.Exists(Path.Combine(slurm.Folder, "requeued.txt")));
        var capped = RunStatusFile.Read(run.Folder)!;
        Assert.Equal(RunState.Failed, capped.State);
        Assert.Contains("after 3 requeue(s) (--max-requeues 3); submit again", capped.Message);
        // Outside Slurm there is nothing to requeue.
        Assert.False(TimeLimitRequeue.Apply(run, 3, null, 0, () => throw new InvalidOperationException("not asked"), log));
    }
}
