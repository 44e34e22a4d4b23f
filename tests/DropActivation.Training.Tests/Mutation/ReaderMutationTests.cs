using Xunit.Abstractions;

namespace DropActivation.Training.Tests.Mutation;

/// <summary>
/// Mutated files of every format the project reads (<see cref="MutationFormats"/>): truncated, bytes flipped, header
/// lengths and counts set to absurd values, from a fixed seed. Each must be read (the mutation left a valid file) or
/// refused with one error that names the file: never a crash, a hang, an absurd allocation or a bare exception.
/// <c>DROPACT_MUTATION_CASES</c> sets the cases per format (20 by default, 480 cases in all; the nightly size is 2000) and
/// <c>DROPACT_MUTATION_SEED</c> varies the seed.
/// </summary>
public class ReaderMutationTests(ITestOutputHelper output)
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("DROPACT_MUTATION_CASES"), out var n) && n > 0 ? n : 20;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("DROPACT_MUTATION_SEED"), out var s) ? s : 31;

    public static TheoryData<string> Formats => new(MutationFormats.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_mutated_file_is_read_or_refused_with_one_error_naming_it(string name)
    {
        var format = MutationFormats.All.Single(f => f.Name == name);
        var valid = format.Valid();
        var root = RealData.NewTempDir("dropact-mutation");
        var counts = new int[Enum.GetValues<Outcome>().Length];
        var failures = new List<string>();
        try
        {
            var (validOutcome, validDetail) = Case(format, format.Wrap?.Invoke(valid) ?? valid, Path.Combine(root, "valid"), "the valid file");
            Assert.True(validOutcome == Outcome.Accepted, $"the valid {name} file is refused: {validDetail}");
            int i = 0;
            foreach (var (what, bytes) in Mutator.Cases(valid, format.Fields(valid).ToList(), Cases, Seed * 7919 + name.Sum(c => c)))
            {
                var (outcome, detail) = Case(format, format.Wrap?.Invoke(bytes) ?? bytes, Path.Combine(root, $"case{i}"), $"{name} case {i}: {what}");
                counts[(int)outcome]++;
                if (outcome is Outcome.Unclear or Outcome.Hang) failures.Add($"case {i} ({what}): {outcome}: {detail}");
                if (outcome == Outcome.Hang) break; // its thread still runs: stop here
                i++;
            }
        }
        finally
        {
            if (failures.Count == 0) Directory.Delete(root, true);
        }
        output.WriteLine($"| {name} | {counts.Sum()} | {counts[(int)Outcome.ClearError]} | {counts[(int)Outcome.Accepted]} | {counts[(int)Outcome.Unclear]} | {counts[(int)Outcome.Hang]} |");
        Assert.True(failures.Count == 0, $"{failures.Count} of {counts.Sum()} mutated {name} files were not met with one clear error naming the file (kept under {root}):\n{string.Join("\n", failures)}");
    }

    private static (Outcome Outcome, string Detail) Case(MutationFormat format, byte[] bytes, string folder, string description)
    {
        var path = Path.Combine(folder, format.File);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return CaseRunner.Run(format.Read, path, description, TimeSpan.FromSeconds(15));
    }
}
