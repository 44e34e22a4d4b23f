using System.Diagnostics;
using DropActivation.Training;
using DropActivation.Training.Checkpoints;
using DropActivation.TestSupport;

namespace DropActivation.Cli.Tests;

/// <summary>A real dropact train process stopped by real signals: it checkpoints its position, exits 75, and resumes exactly.</summary>
public class SignalTests
{
    private static readonly string[] Run =
    [
        "train", "--model", "simple-cnn", "--dataset", "fashion-mnist", "--act", "dropact", "--p", "0.9", "--epochs", "3",
        "--batch-size", "32", "--train-subset", "8000", "--test-subset", "500", "--threads", "1", "--seed", "5", "--schedule", "multistep:2",
    ];

    /// <summary>Starts dropact, sends <paramref name="signal"/> 2 s after it announced the run (its training loop has begun), and waits.</summary>
    private static (int Exit, string Out) StopWith(string signal, params string[] args) => StopWhen(() => { Thread.Sleep(2000); return true; }, signal, args);

    /// <summary>Starts dropact, sends <paramref name="signal"/> once it announced the run and <paramref name="ready"/> says so, and waits.</summary>
    private static (int Exit, string Out) StopWhen(Func<bool> ready, string signal, params string[] args)
    {
        var psi = new ProcessStartInfo(DropactProcess.DotnetHost())
        {
            WorkingDirectory = Path.GetTempPath(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dropact.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = new Process { StartInfo = psi };
        var output = new System.Text.StringBuilder();
        using var announced = new ManualResetEventSlim();
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            // The first line of a fresh run, or the trainer's "resuming ..." (both come once the data are loaded).
            if (e.Data.StartsWith("simple-cnn on ", StringComparison.Ordinal) || e.Data.StartsWith("resuming ", StringComparison.Ordinal)) announced.Set();
        };
        p.OutputDataReceived += collect;
        p.ErrorDataReceived += collect;
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.True(announced.Wait(TimeSpan.FromMinutes(2)), $"dropact did not start: {output}");
        var patience = Stopwatch.StartNew();
        while (!ready() && !p.HasExited && patience.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
        Assert.False(p.HasExited, $"dropact ended before the signal: {output}");
        using (var kill = Process.Start("kill", ["-" + signal, p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "dropact did not stop after the signal");
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }

    /// <summary>The uninterrupted run both tests compare with (trained once).</summary>
    private static readonly Lazy<string> Whole = new(() =>
    {
        var whole = RealData.NewTempDir("dropact-signal-tests");
        var (exit, stdout, stderr) = DropactProcess.Run(Path.GetTempPath(), TimeSpan.FromMinutes(10), [.. Run, "--data", RealData.Root, "--out", whole]);
        Assert.True(exit == 0, stdout + stderr);
        return whole;
    });

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void Sigterm_and_sigusr1_stop_train_resumably_and_two_resumes_end_bit_identical_to_an_uninterrupted_run()
    {
        var split = RealData.NewTempDir("dropact-signal-tests");
        int exit;
        string output, stdout, stderr;

        (exit, output) = StopWith("TERM", [.. Run, "--data", RealData.Root, "--out", split]);
        Assert.True(exit == ExitCodes.Stopped, $"exit {exit}: {output}");
        Assert.Matches(@"stopped by SIGTERM (inside epoch \d of 3, after step \d+|after epoch \d of 3); checkpoint written; continue exactly with: dropact train --resume ", output);
        Assert.False(CheckpointFile.ReadHeader(new RunFolder(split).Checkpoint).Epoch == 3, "the run finished before the signal");

        (exit, output) = StopWith("USR1", "train", "--resume", split, "--data", RealData.Root);
        Assert.True(exit == ExitCodes.Stopped, $"exit {exit}: {output}");
        Assert.Contains("stopped by SIGUSR1", output);

        (exit, stdout, stderr) = DropactProcess.Run(Path.GetTempPath(), TimeSpan.FromMinutes(10), "train", "--resume", split, "--data", RealData.Root);
        Assert.True(exit == 0, stdout + stderr);

        AssertSameRun(Whole.Value, split);
        // Three starts of one run: machine.jsonl has a line for each.
        Assert.Equal(3, File.ReadAllLines(new RunFolder(split).Machine).Length);
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void Kill_9_inside_the_first_epoch_loses_only_the_steps_since_the_last_recovery_checkpoint_and_resumes_bit_identically()
    {
        var split = RealData.NewTempDir("dropact-signal-tests");
        // A recovery checkpoint every 0.02 minutes (1.2 s); SIGKILL once one is on disk: nothing to catch, no epoch end yet.
        var checkpoint = new RunFolder(split).Checkpoint;
        bool Recovered() => File.Exists(checkpoint) && CheckpointFile.ReadHeader(checkpoint).InEpoch is not null;
        var (exit, output) = StopWhen(Recovered, "KILL", [.. Run, "--checkpoint-every", "0.02", "--data", RealData.Root, "--out", split]);
        Assert.True(exit == 128 + 9, $"exit {exit}: {output}");
        var header = CheckpointFile.ReadHeader(new RunFolder(split).Checkpoint);
        Assert.True(header.Epoch == 0 && header.InEpoch is { Steps: > 0 }, $"expected a recovery checkpoint inside epoch 1, got epoch {header.Epoch}, step {header.InEpoch?.Steps}");

        var (code, stdout, stderr) = DropactProcess.Run(Path.GetTempPath(), TimeSpan.FromMinutes(10), "train", "--resume", split, "--data", RealData.Root);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"resuming {split} inside epoch 1 of 3, after step {header.InEpoch!.Steps}", stdout + stderr);
        AssertSameRun(Whole.Value, split);
    }

    private static void AssertSameRun(string whole, string split)
    {
        using var a = CheckpointFile.Load(new RunFolder(whole).Checkpoint);
        using var b = CheckpointFile.Load(new RunFolder(split).Checkpoint);
        Assert.Equal(3, b.Header.Epoch);
        foreach (var (name, t) in a.Model) Assert.True(t.equal(b.Model[name]).all().item<bool>(), $"{name} differs after stopping and resuming");
        foreach (var (name, t) in a.Optimizer) Assert.True(t.equal(b.Optimizer[name]).all().item<bool>(), $"momentum of {name} differs");
        Assert.Equal(a.Header.History.Select(m => (m.TrainLoss, m.TrainError, m.TestError)), b.Header.History.Select(m => (m.TrainLoss, m.TrainError, m.TestError)));
    }
}
