namespace DropActivation.Training.Tests;

public class MachineRecordTests
{
    [Fact]
    public void Records_round_trip_and_a_corrupt_line_names_the_file_and_line()
    {
        var dir = RealData.NewTempDir("dropact-machine-tests");
        var path = Path.Combine(dir, "machine.jsonl");
        Assert.Empty(MachineRecord.ReadAll(path));
        var first = MachineRecord.Current(threads: 1, fromEpoch: 0);
        var second = first with { FromEpoch = 7, Host = "other" };
        MachineRecord.Append(path, first);
        MachineRecord.Append(path, second);
        Assert.Equal(new[] { first, second }, MachineRecord.ReadAll(path));
        Assert.Equal(Environment.ProcessorCount, first.LogicalCpus);

        File.AppendAllText(path, "{not json\n");
        var e = Assert.Throws<InvalidDataException>(() => MachineRecord.ReadAll(path));
        Assert.Contains("machine.jsonl:3", e.Message);
    }
}
