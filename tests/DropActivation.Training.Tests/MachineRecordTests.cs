namespace DropActivation.Training.Tests;

public class MachineRecordTests
{
    [Fact]
    public void Cpuinfo_gives_the_first_model_name_and_flags_of_an_avx2_only_and_an_avx512_bf16_cpu()
    {
        var dir = RealData.NewTempDir("dropact-machine-tests");
        var avx2 = Path.Combine(dir, "avx2");
        File.WriteAllText(avx2, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B12\nflags\t\t: fpu sse2 avx avx2 fma\n\n" +
                                "processor\t: 1\nmodel name\t: other\nflags\t\t: avx512f\n");
        var (model, flags) = MachineRecord.ReadCpuInfo(avx2);
        Assert.Equal("AMD EPYC 7B12", model);
        Assert.Contains("avx2", flags!);
        Assert.DoesNotContain("avx512f", flags!);

        var bf16 = Path.Combine(dir, "bf16");
        File.WriteAllText(bf16, "model name\t: AMD EPYC\nflags\t\t: avx2 avx512f avx512_bf16 avx512bw\n");
        (model, flags) = MachineRecord.ReadCpuInfo(bf16);
        Assert.Equal("AMD EPYC", model);
        Assert.Contains("avx512_bf16", flags!);
        Assert.DoesNotContain("amx_bf16", flags!);

        Assert.Equal((null, null), MachineRecord.ReadCpuInfo(Path.Combine(dir, "absent")));
    }

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
