namespace DropActivation.Sweeps.Tests;

/// <summary>Real <c>dropact train</c> runs (tiny: simple-cnn on 512 MNIST images) driven by <c>dropact sweep run</c> as a child process.</summary>
public partial class RealRunTests
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private const string ThreeEpochs = """
        {"name": "resume", "models": ["simple-cnn"], "datasets": ["mnist"], "activations": ["dropact"], "p": [0.9], "seeds": [7],
         "overrides": {"epochs": 3, "batch-size": 32, "lr": 0.05, "schedule": "constant", "train-subset": 1024, "test-subset": 256, "threads": 1}}
        """;

    [RealDataFact]
    public void A_run_stopped_by_SIGTERM_is_recorded_as_interrupted_and_the_next_sweep_resumes_it_from_its_checkpoint()
    {
        RealMnist.Require();
        using var tmp = new TempFolder();
        var spec = tmp.File("resume.json", ThreeEpochs);
        var root = Path.Combine(tmp.Path, "out");
        var folder = Path.Combine(root, "simple-cnn_mnist_dropact_p0.90_s7");
        var metrics = Path.Combine(folder, "metrics.jsonl");

        using (var sweep = DropactProcess.Start(tmp.Path, "sweep", "run", spec, "--data", TestPaths.SharedData, "--out", root))
        {
            var stdout = sweep.StandardOutput.ReadToEndAsync();
            var stderr = sweep.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 1))
            {
                if (sweep.HasExited) Assert.Fail($"the sweep ended before epoch 1: {stdout.Result}{stderr.Result}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180), "no epoch within 180 s");
                Thread.Sleep(100);
            }
            if (Kill(sweep.Id, 15) != 0) // SIGTERM, as scancel and preemption send
                Assert.Fail($"kill({sweep.Id}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}; {stdout.Result}{stderr.Result}");
            Assert.True(sweep.WaitForExit(TimeSpan.FromSeconds(60)), "the sweep did not stop on SIGTERM");
            Assert.Equal(1, sweep.ExitCode);
            Assert.Contains("stopped by SIGTERM: 1 run(s) interrupted, 0 not started;", stderr.Result);
            Assert.Contains("0 done, 0 failed, 1 interrupted, 0 not started", stdout.Result);
        }
        var record = RunStatusFile.Read(folder)!;
        Assert.Equal(RunState.Failed, record.State);
        Assert.Contains("interrupted", record.Message);
        Assert.False(Running.ProcessProbe.IsAlive(record.TrainPid, record.TrainPidStart), "train outlived the sweep");
        var before = File.ReadAllLines(metrics);
        Assert.InRange(before.Length, 1, 2);
        Assert.False(Running.TrainRunFolder.IsFinished(folder));

        var (exit, output, error) = DropactProcess.Run(tmp.Path, TimeSpan.FromSeconds(300), "sweep", "run", spec, "--data", TestPaths.SharedData, "--out", root);
        Assert.True(exit == 0, output + error);
        Assert.Contains("(resuming)", output);
        record = RunStatusFile.Read(folder)!;
        Assert.Equal((RunState.Done, 2, true), (record.State, record.Attempts, record.Resumed));
        Assert.Equal(["train", "--resume", folder], record.Command!.SkipWhile(a => a != "train").Take(3));
        var after = File.ReadAllLines(metrics);
        Assert.Equal(3, after.Length);
        Assert.Equal(before, after.Take(before.Length)); // continued, not restarted
        Assert.Contains("--resume", File.ReadAllText(Path.Combine(folder, "sweep.log")));
    }
}
