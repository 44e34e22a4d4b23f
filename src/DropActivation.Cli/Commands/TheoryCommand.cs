using System.CommandLine;
using DropActivation.Analysis.Reports;
using DropActivation.Analysis.Theory;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact theory</c>: Property 2 (variance shift ratio, closed form against Monte-Carlo for
/// p = 0.60 … 1.00) and Property 1 (the implicit penalty with a confidence interval). Writes
/// theory-variance-shift.png, theory-penalty.png, theory.md and theory.json into --out.
/// </summary>
internal static class TheoryCommand
{
    public static Command Create(TextWriter output)
    {
        var p = new Option<double>("--p") { Description = "Keep probability of Drop-Activation for Property 1.", DefaultValueFactory = _ => DA.DefaultP };
        var seed = new Option<long>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var samples = new Option<long>("--samples") { Description = "Monte-Carlo samples per p for Property 2.", DefaultValueFactory = _ => 2_000_000 };
        var draws = new Option<int>("--draws") { Description = "Monte-Carlo mask draws for Property 1.", DefaultValueFactory = _ => 40_000 };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "theory") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("theory", "Check Properties 1 and 2 of the paper (Section 4) by Monte-Carlo; writes PNGs and tables.")
            { p, seed, samples, draws, outDir, json };
        command.SetAction(parse =>
        {
            double pv = parse.GetValue(p);
            Choices.Usage(() => DA.CheckP(pv, "--p"));
            long n = parse.GetValue(samples);
            if (n < 10_000) throw new UsageError($"--samples must be at least 10000, got {n}.");
            int d = parse.GetValue(draws);
            if (d < 100) throw new UsageError($"--draws must be at least 100, got {d}.");
            string dir = Path.GetFullPath(parse.GetValue(outDir)!);
            bool asJson = parse.GetValue(json);
            string cmdLine = $"dropact theory --p {Fmt.F(pv, "0.###")}" + (parse.GetValue(seed) != 1 ? $" --seed {parse.GetValue(seed)}" : "");

            var progress = new LineProgress(asJson ? Console.Error : output);
            var result = TheoryAnalysis.Run(new TheoryOptions(pv, parse.GetValue(seed), n, d), progress);
            var (varianceShiftPng, penaltyPng) = TheoryPlot.SaveAll(dir, result);
            var md = ReportSections.Theory(result, cmdLine, 1, dir);
            md.Save(Path.Combine(dir, "theory.md"));
            string jsonPath = Path.Combine(dir, "theory.json");
            if (CliOutput.WriteJson(jsonPath, result, asJson, output)) return ExitCodes.Success;
            var console = CliOutput.ConsoleFor(output);
            console.Write(CliOutput.Table("Property 2: Var(X_test)/Var(X_train)", ReportSections.VarianceShiftHeaders, ReportSections.VarianceShiftRows(result.VarianceShift)));
            console.Write(CliOutput.Table("Property 1: E_P[training loss] − test loss", ReportSections.PenaltyHeaders, ReportSections.PenaltyRows(result)));
            output.WriteLine($"Property 2: largest relative error {Fmt.Pct(result.VarianceShift.MaxRelativeError, 3)} (limit 1 %).");
            output.WriteLine($"Property 1: exact penalty {(result.Penalty.ExactWithinCi ? "inside" : "OUTSIDE")} the Monte-Carlo interval; " +
                             $"the penalty as printed in Eq. (9) {(result.Penalty.PaperWithinCi ? "inside" : "outside")} it (see theory.md).");
            output.WriteLine($"Wrote {Path.Combine(dir, "theory.md")}, {varianceShiftPng}, {penaltyPng}");
            return ExitCodes.Success;
        });
        return command;
    }
}
