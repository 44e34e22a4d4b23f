using System.Globalization;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training.Optimization;
using DropActivation.Training.Presets;

namespace DropActivation.Training;

/// <summary>
/// Merges a preset (named, or the paper's recipe for the model and data set) with command-line
/// overrides into <see cref="TrainOptions"/>, checking every name and value and listing the valid
/// choices when one is wrong. Without any preset the defaults are SGD(0.9), lr 0.1, batch 128,
/// weight decay 1e-4, 10 epochs, multi-step at 50 % and 75 % of the epochs, gamma 0.1.
/// </summary>
public static class TrainOptionsResolver
{
    /// <summary>The activations a run compares: the paper's three.</summary>
    public static IReadOnlyList<string> Activations => ActivationFactory.Names;

    /// <summary>Resolves the options; <paramref name="preset"/> null picks the paper's recipe for (model, dataset) when there is one.</summary>
    /// <exception cref="ArgumentException">Unknown model, data set, activation, preset, schedule or stage, or an out-of-range value.</exception>
    public static TrainOptions Resolve(string model, string dataset, string activation, double p, string? preset, TrainOverrides o,
        long seed = 0, int threads = 0, bool cutout = false, bool autoAugment = false, int? trainSubset = null, int? testSubset = null,
        string device = "cpu", double? validationSplit = null, bool augment = true)
    {
        var info = ModelRegistry.Describe(model); // throws with the valid names
        var data = DataSets.Get(dataset);         // idem
        string act = activation.Trim().ToLowerInvariant();
        if (!ActivationFactory.Names.Contains(act))
            throw new ArgumentException($"Unknown activation '{activation}'. Valid: {string.Join(", ", ActivationFactory.Names)}.", nameof(activation));
        if (double.IsNaN(p) || p < 0 || p > 1) throw new ArgumentException($"--p must lie in [0, 1], got {p.ToString(CultureInfo.InvariantCulture)}.", nameof(p));

        var recipe = preset is null ? PresetCatalog.Match(info.Name, data.Recipe ?? data.Name) : PresetCatalog.Get(preset);
        int epochs = o.Epochs ?? recipe?.Epochs ?? 10;
        Positive(epochs, "--epochs");
        int batch = o.BatchSize ?? recipe?.BatchSize ?? 128;
        Positive(batch, "--batch-size");
        double lr = o.LearningRate ?? recipe?.LearningRate ?? 0.1;
        if (!(lr > 0) || double.IsInfinity(lr)) throw new ArgumentException($"--lr must be positive, got {lr}.");
        var (schedule, milestones) = ParseSchedule(o.Schedule, recipe, epochs);
        double gamma = o.Gamma ?? recipe?.Gamma ?? 0.1;
        if (!(gamma > 0)) throw new ArgumentException($"--gamma must be positive, got {gamma}.");
        double wd = o.WeightDecay ?? recipe?.WeightDecay ?? 1e-4;
        double momentum = o.Momentum ?? recipe?.Momentum ?? 0.9;
        if (wd < 0 || momentum < 0 || momentum >= 1) throw new ArgumentException($"--wd must be >= 0 and --momentum in [0, 1); got {wd}, {momentum}.");
        double? dropout = o.Dropout ?? (recipe?.Models.Contains(info.Name) == true ? recipe.Dropout : null);
        var stages = ParseStages(o.DropActStages, recipe?.DropActLastStages, info);
        var trainSplit = ParseTrainSplit(o.TrainSplit ?? (recipe?.Datasets.Contains(data.Recipe ?? data.Name) == true ? recipe.TrainSplit : null), data);

        if (cutout) Augmentations.CutoutLength(data.Recipe ?? data.Name);              // throws for data sets without a Cutout size
        if (autoAugment) Augmentations.AutoAugmentPolicyFor(data.Recipe ?? data.Name); // throws for data sets without a policy
        if (trainSubset is < 1 || testSubset is < 1) throw new ArgumentException("--train-subset and --test-subset must be at least 1.");
        if (threads < 0) throw new ArgumentException($"--threads must be >= 0, got {threads}.");
        if (validationSplit is { } v && !(v > 0 && v < 1))
            throw new ArgumentException($"--validation-split must lie strictly between 0 and 1, got {v.ToString(CultureInfo.InvariantCulture)}.");
        if (!augment && (cutout || autoAugment))
            throw new ArgumentException("--no-augment cannot be combined with --cutout or --autoaugment.");

        return new TrainOptions
        {
            Model = info.Name, Dataset = data.Name, Activation = act, P = p, Preset = recipe?.Name,
            Epochs = epochs, BatchSize = batch, LearningRate = lr, Schedule = schedule, Milestones = milestones, Gamma = gamma,
            WeightDecay = wd, Momentum = momentum, Dropout = dropout, Seed = seed, Threads = threads,
            Cutout = cutout, AutoAugment = autoAugment, DropActStages = stages, TrainSubset = trainSubset, TestSubset = testSubset,
            Device = device, ValidationSplit = validationSplit, Augment = augment, TrainSplit = trainSplit,
        };
    }

    private static (string, IReadOnlyList<int>) ParseSchedule(string? text, Preset? recipe, int epochs)
    {
        if (text is null)
            return recipe is null ? ("multistep", DefaultMilestones(epochs)) : (recipe.Schedule, recipe.Milestones);
        var parts = text.Split(':', 2);
        var kind = parts[0].Trim().ToLowerInvariant();
        if (!LearningRateSchedule.Names.Contains(kind))
            throw new ArgumentException($"Unknown schedule '{text}'. Valid: multistep[:M1,M2,...], cosine, constant.");
        if (kind != "multistep") return (kind, Array.Empty<int>());
        if (parts.Length == 1)
            return (kind, recipe?.Milestones ?? DefaultMilestones(epochs));
        var ms = new List<int>();
        foreach (var m in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            ms.Add(int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v : throw new ArgumentException($"Bad milestone '{m}' in --schedule {text}: milestones are positive epoch numbers."));
        return (kind, ms.Order().ToArray());
    }

    private static IReadOnlyList<string>? ParseStages(IReadOnlyList<string>? given, int? presetLast, ModelInfo info)
    {
        if (given is null or { Count: 0 })
            return presetLast is { } n ? ModelRegistry.LastStages(info.Name, n) : null;
        var list = given.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (list.Count == 1 && list[0].Equals("all", StringComparison.OrdinalIgnoreCase)) return null;
        if (list.Count == 1 && list[0].StartsWith("last:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(list[0][5..], out int k) || k < 1 || k > info.Stages.Count)
                throw new ArgumentException($"--dropact-stages {list[0]}: N must lie in 1..{info.Stages.Count} for {info.Name}.");
            return ModelRegistry.LastStages(info.Name, k);
        }
        var unknown = list.Where(s => !info.Stages.Contains(s)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown stage(s) {string.Join(", ", unknown)} for {info.Name}. Valid: {string.Join(", ", info.Stages)}, all, or last:N.");
        return list;
    }

    private static string ParseTrainSplit(string? given, DataSetInfo data)
    {
        if (given is null) return "train";
        var split = given.Trim().ToLowerInvariant();
        var trainable = data.Splits.Where(s => s != RunData.TestSplit(data)).ToArray();
        if (!trainable.Contains(split))
            throw new ArgumentException($"--train-split '{given}' is not a training split of {data.Name}. Valid: {string.Join(", ", trainable)}.");
        return split;
    }

    private static int[] DefaultMilestones(int epochs) => new[] { epochs / 2, epochs * 3 / 4 }.Where(m => m > 0).Distinct().ToArray();

    private static void Positive(int v, string flag)
    {
        if (v < 1) throw new ArgumentException($"{flag} must be at least 1, got {v}.");
    }
}
