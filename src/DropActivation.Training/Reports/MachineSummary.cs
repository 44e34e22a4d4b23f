using System.Text;
using DropActivation.Training.Logging;

namespace DropActivation.Training.Reports;

/// <summary>
/// Which CPU trained each seed's runs, read from the run folders' <c>machine.jsonl</c>. oneDNN picks other kernels
/// on other CPUs, so runs agree only statistically across machines; a paired comparison is sound where every arm of
/// a seed ran on one CPU, and a report says how many seeds did, on which.
/// </summary>
public static class MachineSummary
{
    /// <summary>What a seed's runs ran on: one CPU, several, or no record (runs made before machine.jsonl).</summary>
    public sealed record SeedGroup(string Model, string Dataset, long Seed, string Machine, int Runs);

    /// <summary>The label of a group whose runs have no machine record.</summary>
    public const string NotRecorded = "not recorded (runs made before machine.jsonl)";

    /// <summary>The label of a group whose runs have records naming different CPUs, or only some records.</summary>
    public const string Several = "several CPUs, or records missing for some runs";

    /// <summary>A CPU as a report names it: its model and the vector extensions that change oneDNN's kernels.</summary>
    public static string Describe(MachineRecord m) =>
        $"{m.CpuModel} ({(m.Avx512F ? "AVX-512" : m.Avx2 ? "AVX2, no AVX-512" : "no AVX2")}" +
        $"{(m.Avx512Bf16 ? ", AVX512_BF16" : "")}{(m.AmxBf16 ? ", AMX_BF16" : "")})";

    /// <summary>The runs grouped by model, data set and seed, each group with the machine all its runs ran on.</summary>
    public static IReadOnlyList<SeedGroup> Groups(IEnumerable<RunRecord> runs) =>
        runs.GroupBy(r => (r.Options.Model, r.Options.Dataset, r.Options.Seed))
            .Select(g =>
            {
                var perRun = g.Select(r => MachineRecord.ReadAll(new RunFolder(r.Path).Machine).Select(Describe).Distinct().ToList()).ToList();
                var all = perRun.SelectMany(x => x).Distinct().ToList();
                string machine = perRun.All(x => x.Count == 0) ? NotRecorded
                    : perRun.Any(x => x.Count == 0) || all.Count > 1 ? Several
                    : all[0];
                return new SeedGroup(g.Key.Model, g.Key.Dataset, g.Key.Seed, machine, g.Count());
            })
            .OrderBy(g => g.Model, StringComparer.Ordinal).ThenBy(g => g.Dataset, StringComparer.Ordinal).ThenBy(g => g.Seed)
            .ToList();

    /// <summary>
    /// A markdown section: per model and data set, how many seeds ran wholly on each CPU, and which; empty when no run
    /// has a machine record (older run folders), so reports of those are unchanged.
    /// </summary>
    public static string Markdown(IEnumerable<RunRecord> runs)
    {
        var groups = Groups(runs);
        if (groups.All(g => g.Machine == NotRecorded)) return "";
        var sb = new StringBuilder();
        sb.AppendLine().AppendLine("### Machines").AppendLine()
          .AppendLine("Seeds whose runs (every arm) ran on one CPU, from the run folders' machine.jsonl.").AppendLine()
          .AppendLine("| model | data set | CPU | seeds | which |")
          .AppendLine("|---|---|---|---:|---|");
        foreach (var g in groups.GroupBy(g => (g.Model, g.Dataset, g.Machine)))
            sb.AppendLine($"| {g.Key.Model} | {g.Key.Dataset} | {g.Key.Machine} | {g.Count()} | {Ranges(g.Select(x => x.Seed))} |");
        return sb.ToString();
    }

    /// <summary>Seeds as compact ranges: 1-3, 5, 7-9.</summary>
    internal static string Ranges(IEnumerable<long> seeds)
    {
        var sorted = seeds.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? $"{sorted[i]}" : $"{sorted[i]}–{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }
}
