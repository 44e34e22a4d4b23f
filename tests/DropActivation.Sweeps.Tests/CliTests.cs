using System.Text.Json;

namespace DropActivation.Sweeps.Tests;

/// <summary><c>dropact sweep</c> in-process: plan, status, dry-run scripts and the errors a user can cause.</summary>
public class CliTests
{
    private static string Shipped(string name) => Path.Combine(TestPaths.SweepsFolder, name);

    [Fact]
    public void Plan_prints_every_run_with_its_id_and_train_arguments()
    {
        var (exit, output, error) = CliRunner.Run("sweep", "plan", Shipped("figure5-psweep.json"), "--data", "/data", "--out", "/tmp/never-written");
        Assert.True(exit == 0, error);
        Assert.Contains("sweep figure5-psweep: 180 runs in /tmp/never-written", output);
        Assert.Contains("  0  simple-cnn_cifar10_dropact_p0.60_s0   dropact train --model simple-cnn --dataset cifar10 --act dropact --p 0.60 --seed 0 --epochs 40", output);
        Assert.Contains("179  simple-cnn_cifar10_dropact_p1.00_s19  ", output);
        Assert.False(Directory.Exists("/tmp/never-written"));

        var (jexit, json, _) = CliRunner.Run("sweep", "plan", Shipped("table1-cifar.json"), "--data", "/data", "--out", "/tmp/never-written", "--json");
        Assert.Equal(0, jexit);
        using var doc = JsonDocument.Parse(json);
        var runs = doc.RootElement.GetProperty("runs");
        Assert.Equal(144, runs.GetArrayLength());
        Assert.Equal("vgg19-bn_cifar10_relu_s1", runs[0].GetProperty("id").GetString());
        Assert.Equal("/tmp/never-written/vgg19-bn_cifar10_relu_s1", runs[0].GetProperty("folder").GetString());
        Assert.Contains("cifar-vgg19-bn", runs[0].GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void Status_of_a_fresh_sweep_is_all_pending()
    {
        using var tmp = new TempFolder();
        var (exit, output, error) = CliRunner.Run("sweep", "status", Shipped("tiny-mnist.json"), "--out", tmp.Path);
        Assert.True(exit == 0, error);
        Assert.Contains("0 done, 0 running, 0 failed, 4 pending (of 4)", output);
        Assert.Contains("simple-cnn_mnist_dropact_p0.95_s2  pending   not started", output);
    }

    [Fact]
    public void Status_shows_the_machine_time_each_run_logged_and_their_sum()
    {
        using var tmp = new TempFolder();
        var done = Directory.CreateDirectory(Path.Combine(tmp.Path, "simple-cnn_mnist_dropact_p0.95_s2")).FullName;
        File.WriteAllText(Path.Combine(done, "summary.json"), """{"finished": true}""");
        File.WriteAllText(Path.Combine(done, "metrics.jsonl"),
            """{"epoch":1,"train_error":0.5,"seconds":1200.25}""" + "\n" + """{"epoch":2,"train_error":0.4,"seconds":2400.5}""" + "\n");
        var (exit, output, error) = CliRunner.Run("sweep", "status", Shipped("tiny-mnist.json"), "--out", tmp.Path);
        Assert.True(exit == 0, error);
        Assert.Contains("simple-cnn_mnist_dropact_p0.95_s2  done      2 epochs, 3,601 s", output);
        Assert.Contains("Machine time logged: 3,601 s = 1.00 run-hours", output);

        (exit, output, error) = CliRunner.Run("sweep", "status", Shipped("tiny-mnist.json"), "--out", tmp.Path, "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(3600.75, doc.RootElement.GetProperty("seconds_logged").GetDouble(), 9);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 3600.75 }.Order(),
            doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("seconds_logged").GetDouble()).Order());
    }

    [Fact]
    public void A_dry_run_writes_the_array_script_without_slurm()
    {
        using var tmp = new TempFolder();
        var (exit, output, error) = CliRunner.Run("sweep", "submit", Shipped("tiny-mnist.json"), "--slurm", "--dry-run", "--data", "/data", "--out", tmp.Path,
            "--partition", "short", "--cpus", "2", "--time", "0:10:00");
        Assert.True(exit == 0, error);
        Assert.Contains("dry run: 4 run(s) (array 0-3)", output);
        Assert.Contains("#SBATCH --partition=short", output);
        Assert.Contains("sweep task " + Path.Combine(tmp.Path, ".sweep", "spec-"), output);
        var script = Assert.Single(Directory.GetFiles(Path.Combine(tmp.Path, ".sweep", "slurm"), "*.sbatch"));
        Assert.StartsWith("#!/bin/bash", File.ReadAllText(script));
        Assert.False(File.Exists(Path.Combine(tmp.Path, ".sweep", "slurm-submissions.jsonl")));
    }

    [Fact]
    public void Submit_without_a_scheduler_is_a_usage_error()
    {
        var (exit, _, error) = CliRunner.Run("sweep", "submit", Shipped("tiny-mnist.json"), "--data", "/data");
        Assert.Equal(2, exit);
        Assert.Contains("--slurm", error);
    }

    [Fact]
    public void Submit_where_slurm_is_not_installed_says_which_commands_are_missing()
    {
        using var tmp = new TempFolder();
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", tmp.Path);
        try
        {
            var (exit, _, error) = CliRunner.Run("sweep", "submit", Shipped("tiny-mnist.json"), "--slurm", "--data", "/data", "--out", tmp.Path);
            Assert.Equal(1, exit);
            Assert.Contains("error: Slurm is not installed here: sbatch, squeue, scontrol not found on PATH", error);
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Theory]
    [InlineData("\"epoch\": 3", "'--epoch'")]
    [InlineData("\"lr\": -0.1", "--lr must be positive")]
    [InlineData("\"dropact-stages\": \"block9\"", "Unknown stage(s) block9")]
    [InlineData("\"eval-every\": 0", "--eval-every must be at least 1")]
    [InlineData("\"stratified-subset\": true", "give --train-subset N")]
    public void An_unknown_or_invalid_override_fails_at_plan_run_and_submit_naming_the_spec_before_anything_runs(string entry, string expected)
    {
        using var tmp = new TempFolder();
        var spec = tmp.File("typo.json", """{"name":"typo","models":["simple-cnn"],"datasets":["mnist"],"activations":["relu","dropact"],"p":[0.9],"seeds":[1,2],"overrides":{""" + entry + "}}");
        var outDir = Path.Combine(tmp.Path, "out");
        foreach (var verb in new[] { new[] { "plan" }, ["run"], ["submit", "--slurm", "--dry-run"] })
        {
            var (exit, _, error) = CliRunner.Run(["sweep", .. verb, spec, "--data", tmp.Path, "--out", outDir]);
            Assert.Equal(1, exit);
            Assert.Contains($"{spec}: run simple-cnn_mnist_relu_s1 is not a valid 'dropact train'", error);
            Assert.Contains(expected, error);
            Assert.DoesNotContain("   at ", error);
            Assert.False(Directory.Exists(outDir));
        }
    }

    [Fact]
    public void User_errors_end_in_one_message()
    {
        using var tmp = new TempFolder();
        var missing = CliRunner.Run("sweep", "plan", Path.Combine(tmp.Path, "nope.json"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("nope.json: cannot read the sweep spec", missing.Err);

        var bad = tmp.File("bad.json", """{"name":"bad","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1],"overrides":{"seed":2}}""");
        var badResult = CliRunner.Run("sweep", "plan", bad);
        Assert.Equal(1, badResult.Exit);
        Assert.Contains("bad.json: 'overrides' may not set 'seed'", badResult.Err);

        var noData = CliRunner.Run("sweep", "run", Shipped("tiny-mnist.json"), "--out", tmp.Path);
        Assert.Equal(1, noData.Exit);
        Assert.Contains("pass --data DIR", noData.Err);

        var badJobs = CliRunner.Run("sweep", "run", Shipped("tiny-mnist.json"), "--jobs", "0", "--data", "/data", "--out", tmp.Path);
        Assert.Equal(2, badJobs.Exit);
        Assert.All(new[] { missing.Err, badResult.Err, noData.Err, badJobs.Err }, e => Assert.DoesNotContain("   at ", e));
    }
}
