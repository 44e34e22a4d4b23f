using System.CommandLine;
using DropActivation.Cli.Commands.Training;
using DropActivation.Data;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training.Checkpoints;
using DropActivation.Training.Interop;
using DropActivation.Training;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact train</c>: trains a zoo model on a data set with ReLU, RReLU or Drop-Activation using the
/// paper's recipe (preset) or flags; <c>--seeds N</c> runs N seeds into OUT/seed-K; <c>--resume DIR</c> continues a run exactly.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string?>("--model") { Description = "Model name (see 'dropact models'), e.g. resnet164, wrn-28-10, simple-cnn." };
        var dataset = new Option<string?>("--dataset") { Description = "Data set: mnist, fashion-mnist, emnist-balanced, cifar10, cifar100, svhn, digits, imagenet, or folder:PATH (an image folder with train/ and test/ or val/, or .tar/.tar.gz archives of them)." };
        var data = new Option<string>("--data") { Description = "Data root folder (holds <dataset>/...); not needed for a folder:PATH data set." };
        var act = new Option<string>("--act") { Description = $"Activation: {Choices.Activations} (relu is the baseline).", DefaultValueFactory = _ => "dropact" };
        var p = new Option<double>("--p") { Description = "Drop-Activation's probability of keeping the nonlinearity.", DefaultValueFactory = _ => 0.95 };
        var preset = new Option<string?>("--preset") { Description = "Recipe name (see 'dropact presets') or a preset .json file. Default: the paper's recipe for the model and data set, if any." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (overrides the preset)." };
        var batch = new Option<int?>("--batch-size") { Description = "Batch size." };
        var lr = new Option<double?>("--lr") { Description = "Initial learning rate." };
        var schedule = new Option<string?>("--schedule") { Description = "multistep[:M1,M2,...] (lr × gamma from each 0-based epoch M), cosine or constant." };
        var gamma = new Option<double?>("--gamma") { Description = "Multi-step factor." };
        var wd = new Option<double?>("--wd") { Description = "Weight decay." };
        var momentum = new Option<double?>("--momentum") { Description = "SGD momentum (paper: 0.9)." };
        var dropout = new Option<double?>("--dropout") { Description = "Dropout of the Wide ResNets." };
        var seed = new Option<long>("--seed") { Description = "Seed (weights, data order, augmentation, random activations).", DefaultValueFactory = _ => 0 };
        var seeds = new Option<int>("--seeds") { Description = "Run this many seeds (seed, seed+1, ...) into OUT/seed-K.", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/<model>-<dataset>-<act>)." };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: default). Fix it for bit-exact resume on CPU.", DefaultValueFactory = _ => 0 };
        var cutout = new Option<bool>("--cutout") { Description = "Cutout (CIFAR-10/100, SVHN)." };
        var autoAugment = new Option<bool>("--autoaugment") { Description = "AutoAugment (CIFAR-10/100, SVHN policies)." };
        var stages = new Option<string[]?>("--dropact-stages") { Description = "Stages that get the activation: names (comma-separated), last:N, or all. ImageNet presets: last:2.", AllowMultipleArgumentsPerToken = true };
        var trainSubset = new Option<int?>("--train-subset") { Description = "Train on a fixed random subset of this many images." };
        var testSubset = new Option<int?>("--test-subset") { Description = "Test on a fixed random subset of this many images." };
        var validationSplit = new Option<double?>("--validation-split") { Description = "Hold out this stratified fraction of the training set (split by the seed) and report its error instead of the test set's (the paper's p-search: 0.1)." };
        var trainSplit = new Option<string?>("--train-split") { Description = "Split to train on: train, or train+extra for SVHN (604,388 images; the SVHN presets' default, as in the paper)." };
        var noAugment = new Option<bool>("--no-augment") { Description = "Train on the plain images, without the data set's crop/flip augmentation." };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its checkpoint (exactly)." };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after this many completed epochs (resumable with --resume), e.g. to fit a time slot." };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from these weights: a PyTorch state dict (.pt) or safetensors file with the reference implementation's key names (see 'dropact export')." };

        var command = new Command("train", "Train a model with ReLU, RReLU or Drop-Activation using the paper's recipes.")
        {
            model, dataset, data, act, p, preset, epochs, batch, lr, schedule, gamma, wd, momentum, dropout, seed, seeds, outDir, threads,
            cutout, autoAugment, stages, trainSubset, testSubset, validationSplit, trainSplit, noAugment, device, resume, stopAfter, initFrom,
        };
        command.SetAction(parse =>
        {
            var monitor = new ConsoleMonitor(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
            var trainer = new Trainer(monitor);
            string? root = parse.GetValue(data);
            try
            {
                if (parse.GetValue(resume) is not null && parse.GetValue(initFrom) is not null)
                    throw new UsageError("--init-from starts a new run; --resume continues one from its own checkpoint.");
                if (parse.GetValue(resume) is { } resumeDir)
                {
                    var s = trainer.Resume(resumeDir, root ?? throw new UsageError("--data is required with --resume: the data root the run trains on."), parse.GetValue(epochs), parse.GetValue(stopAfter));
                    Report(output, resumeDir, s);
                    return ExitCodes.Success;
                }
                string m = parse.GetValue(model) ?? throw new UsageError($"--model is required. Valid: {Choices.Models}.");
                string d = parse.GetValue(dataset) ?? throw new UsageError($"--dataset is required. Valid: {Choices.Datasets}.");
                if (root is null && !d.StartsWith(DataSets.FolderPrefix, StringComparison.OrdinalIgnoreCase))
                    throw new UsageError($"--data is required: the folder that holds {d}/ (only a folder:PATH data set needs none).");
                int n = parse.GetValue(seeds);
                if (n < 1) throw new UsageError($"--seeds must be at least 1, got {n}.");
                long first = parse.GetValue(seed);
                var overrides = new TrainOverrides
                {
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                    Schedule = parse.GetValue(schedule), Gamma = parse.GetValue(gamma), WeightDecay = parse.GetValue(wd),
                    Momentum = parse.GetValue(momentum), Dropout = parse.GetValue(dropout), DropActStages = parse.GetValue(stages),
                    TrainSplit = parse.GetValue(trainSplit),
                };
                var options = Choices.Usage(() => TrainOptionsResolver.Resolve(m, d, parse.GetValue(act)!, parse.GetValue(p), parse.GetValue(preset),
                    overrides, first, parse.GetValue(threads), parse.GetValue(cutout), parse.GetValue(autoAugment),
                    parse.GetValue(trainSubset), parse.GetValue(testSubset), parse.GetValue(device)!,
                    parse.GetValue(validationSplit), augment: !parse.GetValue(noAugment)));
                if (parse.GetValue(initFrom) is { } init)
                {
                    WeightFormats.Detect(init);
                    options = options with { InitFrom = Path.GetFullPath(init) };
                }
                string baseDir = parse.GetValue(outDir) ?? Path.Combine("runs", $"{options.Model}-{DataSets.FileLabel(options.Dataset)}-{options.Activation}");
                output.WriteLine($"{options.Model} on {options.Dataset}, {ActLabel(options)}, preset {options.Preset ?? "(none)"}: " +
                                 $"{options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate} {options.Schedule}" +
                                 $"{(options.Schedule == "multistep" ? $" [{string.Join(",", options.Milestones)}] × {options.Gamma}" : "")}, " +
                                 $"wd {options.WeightDecay}, momentum {options.Momentum}" +
                                 (options.TrainSplit != "train" ? $", training split {options.TrainSplit}" : ""));
                for (int k = 0; k < n; k++)
                {
                    var run = options with { Seed = first + k };
                    string dir = n == 1 ? baseDir : Path.Combine(baseDir, $"seed-{run.Seed}");
                    if (File.Exists(new RunFolder(dir).Checkpoint))
                        throw new UserError($"{dir} already holds a run; use --resume {dir} to continue it, or another --out.");
                    if (n > 1) output.WriteLine($"seed {run.Seed} → {dir}");
                    var s = trainer.Train(run, root ?? "", dir, parse.GetValue(stopAfter));
                    Report(output, dir, s);
                }
                return ExitCodes.Success;
            }
            catch (NonFiniteLossException e) { throw new UserError(e.Message, e); }
            catch (DataNotFoundException e) { throw new UserError(e.Message, e); }
            catch (CheckpointException e) { throw new UserError(e.Message, e); }
            catch (WeightsMismatchException e) { throw new UserError(e.Message, e); }
        });
        return command;
    }

    private static string ActLabel(TrainOptions o) => ActivationFactory.Get(o.Activation).TakesP ? $"{o.Activation} (p = {o.P})" : o.Activation;

    private static void Report(TextWriter output, string dir, RunSummary s) =>
        output.WriteLine(s.Finished
            ? $"done: {dir}: final test error {100 * s.FinalTestError:0.00}%, best {100 * s.BestTestError:0.00}% (epoch {s.BestEpoch})"
            : $"stopped after epoch {s.EpochsCompleted} of {s.Options.Epochs}; continue with: dropact train --resume {dir} --data <root>");
}
