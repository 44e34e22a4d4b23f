namespace DropActivation.Sweeps.Tests;

/// <summary>Slurm's text formats (no cluster needed): array lists, squeue and scontrol output, the sbatch script, missing commands.</summary>
public class SlurmFormatTests
{
    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 5, 0, 1, 9, 7, 8, 3 }, "0,1,3,5,7-9")]
    [InlineData(new[] { 2 }, "2")]
    public void Array_index_lists_are_compact_and_round_trip(int[] indices, string expected)
    {
        Assert.Equal(expected, ArrayIndices.Format(indices));
        Assert.Equal(indices.Distinct().Order(), ArrayIndices.Parse(expected));
    }

    [Fact]
    public void Array_index_parsing_ignores_brackets_and_throttle_and_honours_steps()
    {
        Assert.Equal([3, 4, 5, 9], ArrayIndices.Parse("[3-5,9%2]"));
        Assert.Equal([1, 3, 5, 7], ArrayIndices.Parse("1-7:2"));
        Assert.Throws<FormatException>(() => ArrayIndices.Parse("5-3"));
    }

    [Fact]
    public void Squeue_lines_become_one_entry_per_task_with_pending_ranges_expanded()
    {
        var q = SlurmClient.ParseQueue("12_[3-5%2]|PENDING|JobArrayTaskLimit\n12_1|RUNNING|None\n13|PENDING|Priority\n");
        Assert.Equal(["12_1", "12_3", "12_4", "12_5", "13"], q.Keys.Order());
        Assert.True(q["12_4"].IsPending);
        Assert.Equal("JobArrayTaskLimit", q["12_4"].Reason);
        Assert.True(q["12_1"].IsRunning);
        Assert.Null(q["12_1"].Reason);
    }

    [Fact]
    public void Scontrol_oneliners_give_state_and_exit_code_per_array_task()
    {
        const string text =
            "JobId=8 ArrayJobId=7 ArrayTaskId=1 JobName=dropact-x UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=1:0 RunTime=00:00:03\n" +
            "JobId=9 ArrayJobId=7 ArrayTaskId=0 JobName=dropact-x JobState=COMPLETED Reason=None ExitCode=0:0\n" +
            "JobId=7 ArrayJobId=7 ArrayTaskId=2-3 JobName=dropact-x JobState=PENDING Reason=Resources ExitCode=0:0\n";
        var tasks = SlurmClient.ParseShowJob(text);
        Assert.Equal(["7_0", "7_1", "7_2", "7_3"], tasks.Keys.Order());
        Assert.Equal(("FAILED", "1:0", "NonZeroExitCode"), (tasks["7_1"].State, tasks["7_1"].ExitCode, tasks["7_1"].Reason));
        Assert.Equal("COMPLETED", tasks["7_0"].State);
        Assert.True(tasks["7_3"].IsPending);
    }

    [Fact]
    public void The_sbatch_script_has_one_array_task_per_run_and_calls_back_into_the_same_dropact()
    {
        var launcher = new DropactLauncher("/usr/bin/dotnet", ["/opt/drop act/dropact.dll"]);
        var script = SbatchScript.Render("figure5", [0, 1, 2, 7], launcher, "/r/.sweep/spec-abc.json", "/r/.sweep/slurm", "/r",
            new SlurmResources { Partition = "gpu", Time = "1-00:00:00", Gpus = 1, Cpus = 8, Mem = "32G", Account = "lab", MaxRunning = 4, MaxRequeues = 3 });
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        foreach (var line in new[]
        {
            "#SBATCH --array=0-2,7%4", "#SBATCH --job-name=dropact-figure5", "#SBATCH --output=/r/.sweep/slurm/%A_%a.out", "#SBATCH --requeue",
            "#SBATCH --partition=gpu", "#SBATCH --time=1-00:00:00", "#SBATCH --gpus=1", "#SBATCH --cpus-per-task=8", "#SBATCH --mem=32G",
            "#SBATCH --account=lab", "#SBATCH --signal=B:USR1@120",
            "exec /usr/bin/dotnet '/opt/drop act/dropact.dll' sweep task /r/.sweep/spec-abc.json --index \"$SLURM_ARRAY_TASK_ID\" --max-requeues 3",
        })
            Assert.Contains(line, lines);
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH")) < firstCommand);
        var minimal = SbatchScript.Render("t", [3], launcher, "/s.json", "/l", "/r", new SlurmResources());
        Assert.Contains("#SBATCH --array=3", minimal.Split('\n'));
        Assert.DoesNotContain("--partition", minimal);
        Assert.DoesNotContain("--gpus", minimal);
        Assert.Contains("--max-requeues 10", minimal);
    }

    [Theory]
    [InlineData("90", 5400L)]
    [InlineData("1:30", 90L)]
    [InlineData("2:00:00", 7200L)]
    [InlineData("1-12", 129600L)]
    [InlineData("1-12:30", 131400L)]
    [InlineData("2-00:00:01", 172801L)]
    [InlineData("UNLIMITED", null)]
    public void Slurm_time_limits_are_read_in_every_notation_sbatch_accepts(string text, long? seconds) =>
        Assert.Equal(seconds, SlurmTime.ParseSeconds(text));

    [Theory]
    [InlineData("1:30", 5, 10, null)]
    [InlineData("2", 120, 10, "leaves no time to train")]
    [InlineData("ninety", 120, 10, "is not a Slurm time limit")]
    [InlineData("1:2:3:4", 120, 10, "is not a Slurm time limit")]
    [InlineData(null, 0, 10, "--warn-before must be at least 1")]
    [InlineData(null, 120, -1, "--max-requeues must not be negative")]
    public void Submit_settings_that_cannot_work_are_refused_with_the_reason(string? time, int warn, int requeues, string? problem)
    {
        var said = new SlurmResources { Time = time, WarnBeforeSeconds = warn, MaxRequeues = requeues }.Problem();
        if (problem is null) Assert.Null(said);
        else Assert.Contains(problem, said);
    }

    [Fact]
    public void Missing_slurm_commands_are_named_in_the_error()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<SlurmUnavailableException>(() => SlurmClient.Locate(tmp.Path));
        Assert.Contains("Slurm is not installed", e.Message);
        Assert.Contains("sbatch, squeue, scontrol not found", e.Message);
        Assert.Contains(tmp.Path, e.Message);
        // Only one of them missing: only that one is named.
        foreach (var tool in new[] { "sbatch", "scontrol" })
        {
            var p = tmp.File(tool, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        var one = Assert.Throws<SlurmUnavailableException>(() => SlurmClient.Locate(tmp.Path));
        Assert.Contains(": squeue not found", one.Message);
    }
}
