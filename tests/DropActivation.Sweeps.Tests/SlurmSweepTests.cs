using Xunit.Abstractions;

namespace DropActivation.Sweeps.Tests;

/// <summary>Sweeps on a real single-node Slurm cluster (.ci/slurm-up.sh): arrays, failures, re-submission, local/Slurm equality.</summary>
[Collection(SlurmTestCluster.Collection)]
public class SlurmSweepTests(SlurmScenario scenario, ITestOutputHelper log) : IClassFixture<SlurmScenario>
{
    [SlurmFact]
    public void An_array_of_four_tiny_runs_completes_a_failed_run_is_reported_and_resubmission_runs_only_it()
    {
        var r = scenario.Result;
        log.WriteLine($"first array (4 tasks, 1 made to fail): {r.FirstWall.TotalSeconds:F1} s; re-submission of 1: {r.SecondWall.TotalSeconds:F1} s");
        Assert.Contains("4 run(s) as array tasks 0-3", r.FirstSubmit.Out);

        var victim = r.Plan.Runs[r.VictimIndex];
        Assert.Equal([RunState.Done, RunState.Done, RunState.Failed, RunState.Done], r.AfterFirst.Select(s => s.State));
        Assert.Contains("train exited with code 1", r.AfterFirst[r.VictimIndex].Detail);
        Assert.Equal("FAILED", r.VictimSlurmState);
        Assert.All(r.AfterFirst.Where(s => s.State == RunState.Done), s => Assert.Matches(@"^\d+_\d$", s.Record!.SlurmJob!));

        Assert.Contains($"1 run(s) as array tasks {r.VictimIndex} (3 done, running or queued)", r.SecondSubmit.Out);
        Assert.All(r.AfterSecond, s => Assert.Equal(RunState.Done, s.State));
        Assert.Equal(r.OthersBefore, r.OthersAfter); // the three finished runs were not touched again
        var record = RunStatusFile.Read(victim.Folder)!;
        Assert.Equal((RunState.Done, 2, false), (record.State, record.Attempts, record.Resumed));

        Assert.Equal(0, r.ThirdSubmit.Exit);
        Assert.Contains("nothing to submit: all 4 runs", r.ThirdSubmit.Out);
        Assert.True(r.Report.Exit == 0, r.Report.Out + r.Report.Err);
        Assert.Contains("| simple-cnn |", r.Report.Out);
        Assert.Contains("over 2 run(s) per cell", r.Report.Out);
    }

    [SlurmFact]
    public void A_local_jobs_2_sweep_gives_the_same_results_as_the_slurm_sweep_for_the_same_seeds()
    {
        var r = scenario.Result;
        Assert.All(r.AfterSecond, s => Assert.Equal(RunState.Done, s.State));
        var local = Path.Combine(scenario.Scratch, "local");
        var (exit, output, error) = DropactProcess.Run(scenario.Scratch, TimeSpan.FromSeconds(300),
            "sweep", "run", SlurmScenario.Spec, "--data", TestPaths.SharedData, "--out", local, "--jobs", "2");
        Assert.True(exit == 0, output + error);
        foreach (var run in r.Plan.Runs)
        {
            var slurmMetrics = RunMetrics.WithoutTimes(run.Folder);
            var localMetrics = RunMetrics.WithoutTimes(Path.Combine(local, run.Id));
            Assert.NotEmpty(slurmMetrics);
            Assert.Equal(slurmMetrics, localMetrics);
            Assert.Null(RunStatusFile.Read(Path.Combine(local, run.Id))!.SlurmJob);
        }
    }

    [SlurmFact]
    public void Submitting_to_a_controller_that_does_not_answer_says_so()
    {
        SlurmTestCluster.Use();
        var conf = File.ReadAllLines(SlurmTestCluster.Conf!)
            .Select(l => l.StartsWith("SlurmctldPort=") ? "SlurmctldPort=6899" : l.StartsWith("SlurmdPort=") ? "SlurmdPort=6898" : l)
            .Append("MessageTimeout=3");
        var dead = Path.Combine(scenario.Scratch, "dead-slurm.conf");
        File.WriteAllLines(dead, conf);
        var (exit, _, error) = DropactProcess.Run(scenario.Scratch, TimeSpan.FromSeconds(120), new Dictionary<string, string> { ["SLURM_CONF"] = dead },
            "sweep", "submit", SlurmScenario.Spec, "--slurm", "--data", TestPaths.SharedData, "--out", Path.Combine(scenario.Scratch, "never"));
        Assert.Equal(1, exit);
        Assert.Contains("the Slurm controller (slurmctld) is not reachable", error);
        Assert.Contains("SLURM_CONF=" + dead, error);
        Assert.False(Directory.Exists(Path.Combine(scenario.Scratch, "never", ".sweep", "slurm")));
    }
}
