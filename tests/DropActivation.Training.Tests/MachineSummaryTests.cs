using DropActivation.Training.Reports;

namespace DropActivation.Training.Tests;

public class MachineSummaryTests
{
    private static MachineRecord Cpu(string model, bool avx512, bool bf16) => MachineRecord.Current(1, 0) with
    {
        CpuModel = model, Avx2 = true, Avx512F = avx512, Avx512Bf16 = bf16, AmxBf16 = false,
    };

    [Fact]
    public void A_report_counts_the_seeds_whose_every_arm_ran_on_one_cpu_and_names_the_rest()
    {
        var root = RealData.NewTempDir("dropact-machine-summary");
        var bf16 = Cpu("AMD EPYC", avx512: true, bf16: true);
        var avx2 = Cpu("AMD EPYC", avx512: false, bf16: false);
        // Seeds 1-2: no records (older runs). Seeds 3-5: both arms on the AVX512_BF16 CPU. Seed 6: the arms on
        // different CPUs. Seed 7: one arm started on AVX2 and resumed on AVX-512. Seed 8: both on AVX2.
        foreach (var act in new[] { "relu", "dropact" })
            for (long seed = 1; seed <= 8; seed++)
            {
                var dir = ReportTests.Fixture(root, act, seed, 0.5, 0.1);
                var path = new RunFolder(dir).Machine;
                if (seed is >= 3 and <= 5) MachineRecord.Append(path, bf16);
                if (seed == 6) MachineRecord.Append(path, act == "relu" ? bf16 : avx2);
                if (seed == 7) { MachineRecord.Append(path, avx2); if (act == "dropact") MachineRecord.Append(path, bf16 with { FromEpoch = 1 }); }
                if (seed == 8) MachineRecord.Append(path, avx2);
            }
        var runs = RunRecord.Find([root]).Select(RunRecord.Load).ToList();

        var groups = MachineSummary.Groups(runs);
        Assert.Equal(8, groups.Count);
        Assert.All(groups, g => Assert.Equal(2, g.Runs));
        Assert.Equal(
            [MachineSummary.NotRecorded, MachineSummary.NotRecorded, "AMD EPYC (AVX-512, AVX512_BF16)", "AMD EPYC (AVX-512, AVX512_BF16)",
             "AMD EPYC (AVX-512, AVX512_BF16)", MachineSummary.Several, MachineSummary.Several, "AMD EPYC (AVX2, no AVX-512)"],
            groups.Select(g => g.Machine));

        var md = MachineSummary.Markdown(runs);
        Assert.Contains("| simple-cnn | mnist | AMD EPYC (AVX-512, AVX512_BF16) | 3 | 3–5 |", md);
        Assert.Contains($"| simple-cnn | mnist | {MachineSummary.NotRecorded} | 2 | 1–2 |", md);
        Assert.Contains($"| simple-cnn | mnist | {MachineSummary.Several} | 2 | 6–7 |", md);
        Assert.Contains("| simple-cnn | mnist | AMD EPYC (AVX2, no AVX-512) | 1 | 8 |", md);

        // Runs made before machine.jsonl existed: the report has no machines section at all.
        Assert.Equal("", MachineSummary.Markdown(runs.Where(r => r.Options.Seed <= 2)));
        Assert.Equal("1–3, 5, 7–9", MachineSummary.Ranges([9, 1, 2, 3, 5, 7, 8, 2]));
    }
}
