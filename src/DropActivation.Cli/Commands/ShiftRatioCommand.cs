using System.CommandLine;
using DropActivation.Analysis.Reports;
using DropActivation.Analysis.ShiftRatio;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact shift-ratio</c>: Figure 4. Trains a zoo model per activation and after every epoch
/// measures Var_test / Var_train of a stage's output (channel-averaged) on a fixed batch of training
/// images, random layers in training behaviour against their test-time form, BN on its running
/// statistics in both. Writes shift-ratio.csv, shift-ratio.png and shift-ratio.json into --out.
/// </summary>
internal static class ShiftRatioCommand
{
    public static Command Create(TextWriter output)
    {
        var d = new ShiftRatioOptions { DataRoot = "" };
        var model = new Option<string>("--model") { Description = "Model (the paper: resnet164). See 'dropact models'.", DefaultValueFactory = _ => d.Model };
        var dataset = new Option<string>("--dataset") { Description = $"Data set. Valid: {Choices.Datasets}.", DefaultValueFactory = _ => d.Dataset };
        var data = new Option<string>("--data") { Description = "Data root folder (holds <dataset>/...).", Required = true };
        var stage = new Option<string?>("--stage") { Description = "Stage whose output is measured (default: the model's second stage, as in the paper)." };
        var act = new Option<string>("--act") { Description = $"Comma-separated activations, one training run each: {Choices.Activations}.", DefaultValueFactory = _ => "dropact" };
        var p = new Option<double>("--p") { Description = "Drop-Activation's keep probability.", DefaultValueFactory = _ => d.P };
        var dropout = new Option<double?>("--dropout") { Description = "Dropout of the Wide ResNets (a Dropout baseline: --act relu --dropout 0.3)." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs.", DefaultValueFactory = _ => d.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate (cosine decay).", DefaultValueFactory = _ => d.LearningRate };
        var subset = new Option<int?>("--train-subset") { Description = "Train on a fixed, stratified subset of about this many images." };
        var probe = new Option<int>("--probe-images") { Description = "Training images in the fixed probe batch.", DefaultValueFactory = _ => d.ProbeImages };
        var draws = new Option<int>("--probe-draws") { Description = "Random draws over the probe batch pooled for Var_train.", DefaultValueFactory = _ => d.ProbeDraws };
        var mode = new Option<ProbeMode>("--mode") { Description = "activations: only the random layers differ between the passes, BN on running statistics (default); network: the train pass also uses batch statistics.", DefaultValueFactory = _ => ProbeMode.Activations };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train on the plain images (default: the data set's standard augmentation)." };
        var seed = new Option<long>("--seed") { Description = "Seed (weights, data order, activations; the same for every activation).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: default).", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => Path.Combine("out", "shift-ratio") };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("shift-ratio", "Figure 4: variance shift Var_test/Var_train of a stage's output per epoch while training.")
            { model, dataset, data, stage, act, p, dropout, epochs, batch, lr, subset, mode, probe, draws, noAugment, seed, threads, outDir, json };
        command.SetAction(parse =>
        {
            var options = new ShiftRatioOptions
            {
                Model = parse.GetValue(model)!, Dataset = parse.GetValue(dataset)!, DataRoot = parse.GetValue(data)!, Stage = parse.GetValue(stage),
                Activations = parse.GetValue(act)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()).ToArray(),
                P = parse.GetValue(p), Dropout = parse.GetValue(dropout), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr), TrainSubset = parse.GetValue(subset), ProbeImages = parse.GetValue(probe),
                ProbeDraws = parse.GetValue(draws), Mode = parse.GetValue(mode), Augment = !parse.GetValue(noAugment), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
            };
            Choices.Usage(() => ShiftRatioExperiment.Check(options));
            string dir = Path.GetFullPath(parse.GetValue(outDir)!);
            bool asJson = parse.GetValue(json);

            var result = ShiftRatioExperiment.Run(options, new LineProgress(asJson ? Console.Error : output));
            string csv = ShiftRatioCsv.Write(dir, result);
            string png = Path.Combine(dir, "shift-ratio.png");
            ShiftRatioPlot.Save(png, result);
            string jsonPath = Path.Combine(dir, "shift-ratio.json");
            if (CliOutput.WriteJson(jsonPath, result, asJson, output)) return ExitCodes.Success;
            var headers = new[] { "activation", "epoch", "train loss", "Var_train", "Var_test", "shift ratio", "mean channel ratio" };
            var rows = result.Epochs.Select(e => (IReadOnlyList<string>)new[]
            {
                e.Activation, e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), double.IsNaN(e.TrainLoss) ? "-" : Fmt.F(e.TrainLoss, "0.0000"),
                Fmt.F(e.VarTrain, "0.00000"), Fmt.F(e.VarTest, "0.00000"), Fmt.F(e.Ratio, "0.0000"), Fmt.F(e.MeanChannelRatio, "0.0000"),
            });
            CliOutput.ConsoleFor(output).Write(CliOutput.Table(
                $"Shift ratio of {options.Model} stage '{result.Stage}' ({result.Channels} channels) on {options.Dataset}, {result.TrainImages} training images",
                headers, rows));
            output.WriteLine($"Property 2's closed form at p = {Fmt.F(options.P, "0.###")}: {Fmt.F(result.ClosedForm, "0.0000")}. " +
                             string.Join("; ", options.Activations.Select(a => $"{a} after epoch {options.Epochs}: {Fmt.F(result.FinalRatio(a), "0.0000")}")) + ".");
            output.WriteLine($"Wrote {csv}, {png}, {jsonPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
