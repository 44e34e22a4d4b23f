using System.CommandLine;
using DropActivation.Analysis.Regression;
using DropActivation.Analysis.Reports;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact regress</c>: Figure 2 of the paper. 20 noisy samples of x·sin x and of a piecewise-constant
/// function, the MLP 1 → 1000 → 800 → 200 → 1 with ReLU and with Drop-Activation; a PNG per function,
/// test MSE on a dense grid as mean ± std over seeds. Writes regress-*.png, regress.md, regress.json.
/// </summary>
internal static class RegressCommand
{
    public static Command Create(TextWriter output)
    {
        var defaults = new RegressionOptions();
        var p = new Option<double>("--p") { Description = "Keep probability of Drop-Activation.", DefaultValueFactory = _ => DA.DefaultP };
        var seed = new Option<long>("--seed") { Description = "Base random seed.", DefaultValueFactory = _ => 1 };
        var seeds = new Option<int>("--seeds") { Description = "Repetitions (new samples, noise and initial weights each).", DefaultValueFactory = _ => defaults.Seeds };
        var steps = new Option<int>("--steps") { Description = "Full-batch Adam steps per fit.", DefaultValueFactory = _ => defaults.Steps };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "regress") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("regress", "Figure 2: regression of two functions from 20 noisy samples with ReLU and with Drop-Activation.")
            { p, seed, seeds, steps, lr, outDir, json };
        command.SetAction(parse =>
        {
            double pv = parse.GetValue(p);
            Choices.Usage(() => DA.CheckP(pv, "--p"));
            int s = parse.GetValue(seeds), st = parse.GetValue(steps);
            if (s < 1) throw new UsageError($"--seeds must be at least 1, got {s}.");
            if (st < 1) throw new UsageError($"--steps must be at least 1, got {st}.");
            double lrv = parse.GetValue(lr);
            if (!(lrv > 0)) throw new UsageError($"--lr must be positive, got {lrv}.");
            string dir = Path.GetFullPath(parse.GetValue(outDir)!);
            bool asJson = parse.GetValue(json);
            var options = new RegressionOptions(pv, s, st, lrv, Seed: parse.GetValue(seed));
            string cmdLine = $"dropact regress --p {Fmt.F(pv, "0.###")} --seeds {s}" + (st != defaults.Steps ? $" --steps {st}" : "");

            var result = RegressionExperiment.Run(options, progress: new LineProgress(asJson ? Console.Error : output));
            var pngs = RegressionPlot.SaveAll(dir, result);
            ReportSections.Regression(result, cmdLine, 1, dir).Save(Path.Combine(dir, "regress.md"));
            string jsonPath = Path.Combine(dir, "regress.json");
            if (CliOutput.WriteJson(jsonPath, result, asJson, output)) return ExitCodes.Success;
            CliOutput.ConsoleFor(output).Write(CliOutput.Table($"Test MSE on a dense grid (mean ± std over {s} seed(s))",
                ReportSections.RegressionHeaders, ReportSections.RegressionRows(result)));
            output.WriteLine($"Wrote {Path.Combine(dir, "regress.md")}, " + string.Join(", ", pngs));
            return ExitCodes.Success;
        });
        return command;
    }
}
