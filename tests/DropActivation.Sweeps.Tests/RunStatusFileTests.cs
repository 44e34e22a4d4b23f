namespace DropActivation.Sweeps.Tests;

public class RunStatusFileTests
{
    [Fact]
    public void The_state_is_stored_as_the_lower_case_word_the_committed_status_files_hold()
    {
        using var dir = new TempFolder();
        foreach (var state in Enum.GetValues<RunState>())
        {
            RunStatusFile.Write(dir.Path, new RunStatusRecord { Run = "r", Fingerprint = "0123456789ab", State = state, Attempts = 1 });
            Assert.Contains($"\"state\": \"{state.ToString().ToLowerInvariant()}\"", File.ReadAllText(Path.Combine(dir.Path, RunStatusFile.FileName)));
            Assert.Equal(state, RunStatusFile.Read(dir.Path)!.State);
        }
        // As in results/*/sweep-status.json ("done"), and as RunExecutor writes before a run's first start ("pending").
        dir.File(RunStatusFile.FileName, """{ "run": "r", "fingerprint": "3b73e4807a38", "state": "done", "attempts": 1, "exit_code": 0 }""");
        Assert.Equal(RunState.Done, RunStatusFile.Read(dir.Path)!.State);
        dir.File(RunStatusFile.FileName, """{ "run": "r", "fingerprint": "3b73e4807a38", "state": "pending" }""");
        Assert.Equal(RunState.Pending, RunStatusFile.Read(dir.Path)!.State);
    }
}
