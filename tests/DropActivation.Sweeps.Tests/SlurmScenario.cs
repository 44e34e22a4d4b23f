namespace DropActivation.Sweeps.Tests;

/// <summary>
/// One real Slurm sweep, shared by the Slurm tests (run once, on first use): sweeps/tiny-mnist.json (4 tiny real runs)
/// submitted as a job array with one run made to fail (a corrupt checkpoint planted in its folder), then, with the
/// checkpoint removed, re-submitted. Everything observed on the way is kept for the tests to check.
/// </summary>
public sealed class SlurmScenario : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(400);
    private readonly TempFolder _tmp = new();
    private readonly Lazy<Observed> _observed;

    public SlurmScenario() => _observed = new Lazy<Observed>(Play);

    public static string Spec => Path.Combine(TestPaths.SweepsFolder, "tiny-mnist.json");

    public string Root => Path.Combine(_tmp.Path, "slurm");

    public string Scratch => _tmp.Path;

    /// <summary>What happened (plays the scenario on first use).</summary>
    public Observed Result => _observed.Value;

    /// <summary>What the scenario saw.</summary>
    public sealed record Observed(
        SweepPlan Plan, int VictimIndex,
        (int Exit, string Out, string Err) FirstSubmit, IReadOnlyList<RunStatus> AfterFirst, TimeSpan FirstWall, string? VictimSlurmState,
        IReadOnlyDictionary<string, string> OthersBefore,
        (int Exit, string Out, string Err) SecondSubmit, IReadOnlyList<RunStatus> AfterSecond, TimeSpan SecondWall,
        IReadOnlyDictionary<string, string> OthersAfter,
        (int Exit, string Out, string Err) ThirdSubmit, (int Exit, string Out, string Err) Report);

    private Observed Play()
    {
        SlurmTestCluster.Use();
        RealMnist.Require();
        var args = new[] { "sweep", "submit", Spec, "--slurm", "--data", TestPaths.SharedData, "--out", Root, "--cpus", "1", "--time", "0:10:00" };
        var plan = SweepPlan.Load(Spec, Root, TestPaths.SharedData);
        int victim = 2;
        Directory.CreateDirectory(plan.Runs[victim].Folder);
        File.WriteAllText(Path.Combine(plan.Runs[victim].Folder, "checkpoint.dact"), "not a checkpoint");

        var clock = Stopwatch.StartNew();
        var first = DropactProcess.Run(_tmp.Path, TimeSpan.FromSeconds(60), args);
        Assert.True(first.Exit == 0, first.Out + first.Err);
        var afterFirst = Settle(plan);
        var firstWall = clock.Elapsed;
        var jobId = SlurmSubmissionLog.Read(plan.StateFolder).Single().JobId;
        var client = SlurmClient.Locate();
        string? victimState = client.ShowJob(jobId).TryGetValue($"{jobId}_{victim}", out var info) ? info.State : null;

        File.Delete(Path.Combine(plan.Runs[victim].Folder, "checkpoint.dact"));
        var othersBefore = StatusFiles(plan, victim);
        clock.Restart();
        var second = DropactProcess.Run(_tmp.Path, TimeSpan.FromSeconds(60), args);
        Assert.True(second.Exit == 0, second.Out + second.Err);
        var afterSecond = Settle(plan);
        var secondWall = clock.Elapsed;
        var othersAfter = StatusFiles(plan, victim);

        var third = DropactProcess.Run(_tmp.Path, TimeSpan.FromSeconds(60), args);
        var report = DropactProcess.Run(_tmp.Path, TimeSpan.FromSeconds(120), "sweep", "report", Spec, "--out", Root);
        return new Observed(plan, victim, first, afterFirst, firstWall, victimState, othersBefore, second, afterSecond, secondWall, othersAfter, third, report);
    }

    /// <summary>
    /// Polls the sweep's status until nothing is pending or running and every array task has also
    /// finished its own bookkeeping (its status file says done or failed): a run's train can be
    /// finished while its task is still writing the final record.
    /// </summary>
    private static IReadOnlyList<RunStatus> Settle(SweepPlan plan)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = SweepStatusReader.Read(plan, SlurmObserver.Connect());
            bool recorded = plan.Runs.All(r => RunStatusFile.Read(r.Folder)?.State is RunState.Done or RunState.Failed);
            if (recorded && status.All(s => s.State is RunState.Done or RunState.Failed or RunState.Conflict)) return status;
            if (clock.Elapsed > Patience)
                Assert.Fail($"the Slurm sweep did not settle within {Patience.TotalSeconds:F0} s: " +
                    string.Join("; ", status.Select(s => $"{s.Run.Id} {s.State} {s.Detail}")));
            Thread.Sleep(1000);
        }
    }

    private static Dictionary<string, string> StatusFiles(SweepPlan plan, int except) =>
        plan.Runs.Where(r => r.Index != except).ToDictionary(r => r.Id, r => File.ReadAllText(Path.Combine(r.Folder, RunStatusFile.FileName)));

    public void Dispose() => _tmp.Dispose();
}
