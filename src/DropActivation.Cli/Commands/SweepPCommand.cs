using System.CommandLine;
using System.Globalization;
using DropActivation.Analysis.PSweep;
using DropActivation.Analysis.Reports;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact sweep-p</c>: Figure 5. The appendix's simple CNN trained without augmentation on a 90/10
/// split of a data set's training images for every p of a grid (default 0.60 … 1.00 in steps of 0.05;
/// 1 is ReLU), N runs per p; mean validation error with t-based 95 % confidence intervals. Computes
/// with <see cref="PSweepExperiment"/>, then writes
/// p-sweep.csv, p-sweep-runs.csv, p-sweep.png and p-sweep.json into --out.
/// </summary>
internal static class SweepPCommand
{
    /// <summary>The analysis' own defaults (<see cref="PSweepOptions"/>), shown as the options' defaults.</summary>
    private static readonly PSweepOptions Defaults = new();

    public static Command Create(TextWriter output)
    {
        var dataset = new Option<string>("--dataset") { Description = $"Data set (the paper: cifar10). Valid: {Choices.Datasets}.", DefaultValueFactory = _ => Defaults.Dataset };
        var data = new Option<string>("--data") { Description = "Data root folder (holds <dataset>/...).", Required = true };
        var ps = new Option<string?>("--p") { Description = "Comma-separated keep probabilities (default 0.6,0.65,...,1; 1 = ReLU)." };
        var runs = new Option<int>("--runs") { Description = "Runs per p (the paper: 20).", DefaultValueFactory = _ => Defaults.Runs };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => Defaults.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => Defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate (cosine decay).", DefaultValueFactory = _ => Defaults.LearningRate };
        var subset = new Option<int?>("--train-subset") { Description = "Use a fixed, stratified subset of about this many training images (then split 90/10)." };
        var seed = new Option<long>("--seed") { Description = "Base seed: run r uses seed+r for its split, weights and activations.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: default).", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "p-sweep") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("sweep-p", "Figure 5: validation error of the simple CNN over Drop-Activation's p, with 95 % confidence intervals.")
            { dataset, data, ps, runs, epochs, batch, lr, subset, seed, threads, outDir, json };
        command.SetAction(parse =>
        {
            var options = new PSweepOptions
            {
                Dataset = parse.GetValue(dataset)!, DataRoot = parse.GetValue(data)!,
                PValues = parse.GetValue(ps) is { } text ? ParseList(text, "--p") : PSweepOptions.PaperGrid,
                Runs = parse.GetValue(runs), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                TrainSubset = parse.GetValue(subset), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
            };
            Choices.Usage(() => PSweepExperiment.Check(options));
            string dir = Path.GetFullPath(parse.GetValue(outDir)!);
            bool asJson = parse.GetValue(json);

            var result = PSweepExperiment.Run(options, new LineProgress(asJson ? Console.Error : output));
            var (csv, runsCsv) = PSweepCsv.Write(dir, result);
            string png = Path.Combine(dir, "p-sweep.png");
            PSweepPlot.Save(png, result);
            string jsonPath = Path.Combine(dir, "p-sweep.json");
            if (CliOutput.WriteJson(jsonPath, result, asJson, output)) return ExitCodes.Success;
            var headers = new[] { "p", "activation", "runs", "val. error (mean)", "std", $"{options.Confidence:P0} CI" };
            var rows = result.Points.Select(x => (IReadOnlyList<string>)new[]
            {
                Fmt.F(x.P, "0.00"), x.P >= 1 ? "ReLU" : "Drop-Activation", x.ValidationError.Count.ToString(CultureInfo.InvariantCulture),
                Fmt.Pct(x.ValidationError.Mean), Fmt.Pct(x.ValidationError.Std),
                double.IsNaN(x.ValidationError.HalfWidth) ? "n/a (1 run)"
                    : $"[{Fmt.Pct(x.ValidationError.Low)}, {Fmt.Pct(x.ValidationError.High)}] (± {Fmt.Pct(x.ValidationError.HalfWidth)})",
            });
            CliOutput.ConsoleFor(output).Write(CliOutput.Table(
                $"p-sweep: simple CNN on {options.Dataset}, {result.TrainImages} train / {result.ValidationImages} validation images, {options.Epochs} epochs",
                headers, rows));
            output.WriteLine($"Lowest mean validation error at p = {Fmt.F(result.BestP, "0.###")} ({result.Runs.Count} runs in {result.Seconds:0} s).");
            output.WriteLine($"Wrote {csv}, {runsCsv}, {png}, {jsonPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Comma-separated numbers; a malformed one is a usage error.</summary>
    internal static IReadOnlyList<double> ParseList(string text, string option)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new UsageError($"{option}: '{part}' is not a number (expected e.g. 0.9,0.95,1).");
            values.Add(v);
        }
        if (values.Count == 0) throw new UsageError($"{option} needs at least one value.");
        return values;
    }
}
