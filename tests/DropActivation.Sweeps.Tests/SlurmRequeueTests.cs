using Xunit.Abstractions;

namespace DropActivation.Sweeps.Tests;

/// <summary>
/// A Slurm array task whose time limit is shorter than its run (issue 31): Slurm's warning signal makes the run
/// checkpoint inside its epoch, the task requeues itself, resumes, and the finished run equals a local one.
/// </summary>
[Collection(SlurmTestCluster.Collection)]
public class SlurmRequeueTests(ITestOutputHelper log)
{
    // ~140 s of training on one quiet AVX-512 core (12 epochs took 70 s there, 316 s beside other builds); the task gets
    // 90 s and its warning at 55-85 s (5 s before the limit, up to 30 s earlier by Slurm's resolution), so it is requeued
    // at least once on the fastest machine seen and many times on a busy one (the cap leaves room for that).
    private const string Spec = """
        {
          "name": "requeue-mnist",
          "models": ["simple-cnn"],
          "datasets": ["mnist"],
          "activations": ["dropact"],
          "p": [0.95],
          "seeds": [3],
          "overrides": { "epochs": 24, "batch-size": 64, "lr": 0.05, "schedule": "constant", "train-subset": 8000, "test-subset": 500, "threads": 1 }
        }
        """;

    [SlurmFact]
    public void A_task_that_outlives_its_time_limit_requeues_itself_and_finishes_with_a_local_runs_metrics()
    {
        SlurmTestCluster.Use();
        RealMnist.Require();
        using var tmp = new TempFolder();
        var spec = tmp.File("requeue-mnist.json", Spec);
        var root = Path.Combine(tmp.Path, "slurm");
        var plan = SweepPlan.Load(spec, root, TestPaths.SharedData);
        var run = plan.Runs.Single();
        // The same run on this machine, side by side (the node has a CPU to spare), as the reference.
        var local = Task.Run(() => DropactProcess.Run(tmp.Path, TimeSpan.FromMinutes(25),
            "sweep", "run", spec, "--data", TestPaths.SharedData, "--out", Path.Combine(tmp.Path, "local"), "--jobs", "1"));

        var submit = DropactProcess.Run(tmp.Path, TimeSpan.FromSeconds(60), "sweep", "submit", spec, "--slurm", "--data", TestPaths.SharedData,
            "--out", root, "--cpus", "1", "--time", "1:30", "--warn-before", "5", "--max-requeues", "12");
        Assert.True(submit.Exit == 0, submit.Out + submit.Err);
        var script = File.ReadAllText(SlurmSubmissionLog.Read(plan.StateFolder).Single().Script);
        Assert.Contains("#SBATCH --signal=B:USR1@5", script);
        Assert.Contains("--max-requeues 12", script);

        string? whileRequeued = null;
        var clock = Stopwatch.StartNew();
        while (RunStatusFile.Read(run.Folder)?.State is not RunState.Done)
        {
            var status = SweepStatusReader.Read(plan, SlurmObserver.Connect()).Single();
            if (whileRequeued is null && status.Detail.StartsWith("requeued in Slurm", StringComparison.Ordinal))
                whileRequeued = DropactProcess.Run(tmp.Path, TimeSpan.FromSeconds(60), "sweep", "status", spec, "--out", root).Out;
            Assert.True(status.State is not RunState.Failed || status.QueuedInSlurm, $"the run failed: {status.Detail}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(25), $"not done after 25 minutes: {status.State} {status.Detail}");
            Thread.Sleep(500);
        }
        log.WriteLine($"done after {clock.Elapsed.TotalSeconds:F0} s; status while requeued:\n{whileRequeued}");

        var record = RunStatusFile.Read(run.Folder)!;
        Assert.True(record.SlurmRestarts >= 1, $"Slurm restarts: {record.SlurmRestarts}");
        Assert.True(record.Attempts >= 2 && record.Resumed, $"attempts {record.Attempts}, resumed {record.Resumed}");
        Assert.NotNull(whileRequeued);
        Assert.Contains("requeued in Slurm", whileRequeued);
        var slurmLog = File.ReadAllText(SlurmSubmissionLog.Read(plan.StateFolder).Single().OutputFile(0));
        Assert.Contains("requeued at Slurm's time limit (1 of at most 12)", slurmLog);
        Assert.Contains($"requeued {record.SlurmRestarts} time", DropactProcess.Run(tmp.Path, TimeSpan.FromSeconds(60), "sweep", "status", spec, "--out", root).Out);

        var reference = local.Result;
        Assert.True(reference.Exit == 0, reference.Out + reference.Err);
        Assert.Equal(RunMetrics.WithoutTimes(Path.Combine(tmp.Path, "local", run.Id)), RunMetrics.WithoutTimes(run.Folder));
    }
}
