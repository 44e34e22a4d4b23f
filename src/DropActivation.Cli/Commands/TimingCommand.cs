using System.CommandLine;
using System.Globalization;
using DropActivation.Analysis.Reports;
using DropActivation.Analysis.Timing;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact timing</c>: Table 5. Per-batch training time of a zoo model with ReLU, RReLU,
/// Drop-Activation and Drop-Activation's portable path, interleaved with a rotating order after
/// warm-up, medians and ratios to ReLU. Writes timing.png and timing.json into --out.
/// </summary>
internal static class TimingCommand
{
    public static Command Create(TextWriter output)
    {
        var d = new TimingOptions();
        var model = new Option<string>("--model") { Description = "Model (the paper: resnet164, wrn-28-10). See 'dropact models'.", DefaultValueFactory = _ => d.Model };
        var dataset = new Option<string>("--dataset") { Description = $"Data set whose image shape and classes the batch takes (cifar10 3×32×32, mnist 1×28×28, imagenet 3×224×224). Valid: {Choices.Datasets}.", DefaultValueFactory = _ => d.Dataset };
        var batch = new Option<int>("--batch-size") { Description = "Images per batch (the paper: 128).", DefaultValueFactory = _ => d.BatchSize };
        var repeats = new Option<int>("--repeats") { Description = "Timed steps per variant.", DefaultValueFactory = _ => d.Repeats };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps per variant first.", DefaultValueFactory = _ => d.Warmup };
        var p = new Option<double>("--p") { Description = "Drop-Activation's keep probability.", DefaultValueFactory = _ => d.P };
        var seed = new Option<long>("--seed") { Description = "Seed of the batch and the weights.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: default).", DefaultValueFactory = _ => 0 };
        var channelsLast = new Option<bool>("--channels-last") { Description = "Weights and batch in channels-last memory order." };
        var precision = new Option<string>("--precision") { Description = "fp32, or bf16 (CPU autocast; only where the CPU computes bf16 natively).", DefaultValueFactory = _ => d.Precision };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "timing") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("timing", "Table 5: training time per batch with ReLU, RReLU and Drop-Activation (interleaved, medians, ratios).")
            { model, dataset, batch, repeats, warmup, p, seed, threads, channelsLast, precision, outDir, json };
        command.SetAction(parse =>
        {
            var options = new TimingOptions
            {
                Model = parse.GetValue(model)!, Dataset = parse.GetValue(dataset)!, BatchSize = parse.GetValue(batch), Repeats = parse.GetValue(repeats),
                Warmup = parse.GetValue(warmup), P = parse.GetValue(p), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
                ChannelsLast = parse.GetValue(channelsLast), Precision = parse.GetValue(precision)!,
            };
            Choices.Usage(() => TimingBenchmark.Check(options));
            string dir = Path.GetFullPath(parse.GetValue(outDir)!);
            bool asJson = parse.GetValue(json);

            var result = TimingBenchmark.Run(options, new LineProgress(asJson ? Console.Error : output));
            Directory.CreateDirectory(dir);
            string png = Path.Combine(dir, "timing.png");
            TimingPlot.Save(png, result);
            string jsonPath = Path.Combine(dir, "timing.json");
            if (CliOutput.WriteJson(jsonPath, result, asJson, output)) return ExitCodes.Success;
            var headers = new[] { "activation", "median ms/batch", "IQR ms", "fastest ms", "ratio to ReLU" };
            var rows = result.Rows.Select(r => (IReadOnlyList<string>)new[]
            {
                r.Label, Fmt.F(r.MedianMs, "0.0"), Fmt.F(r.IqrMs, "0.0"), Fmt.F(r.MinMs, "0.0"), Fmt.F(r.RatioToRelu, "0.000"),
            });
            CliOutput.ConsoleFor(output).Write(CliOutput.Table(string.Create(CultureInfo.InvariantCulture,
                $"Training time per batch: {options.Model}, batch {options.BatchSize}×{string.Join("×", result.InputShape)}, {result.Threads} thread(s), {options.Mode}, {options.Repeats} repeats"),
                headers, rows));
            output.WriteLine($"CPU: {result.Cpu}. Wrote {png}, {jsonPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
