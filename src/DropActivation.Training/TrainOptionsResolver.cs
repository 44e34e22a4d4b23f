using System.Globalization;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training.Optimization;
using DropActivation.Training.Presets;

namespace DropActivation.Training;

/// <summary>
/// Turns what a user gives (<see cref="TrainOverrides"/>) into <see cref="TrainOptions"/>: each value from the command line,
/// else from the preset (named, or the paper's recipe for the model and data set), else from <see cref="TrainOverrides.Defaults"/>;
/// then <see cref="Validate"/>, the one check of every name and value, which a resumed run and a sweep's plan go through too.
/// </summary>
public static class TrainOptionsResolver
{
    /// <summary>Resolves and checks the options of a fresh run.</summary>
    /// <exception cref="ArgumentException">Unknown model, data set, activation, preset, schedule or stage, an out-of-range value, or a p for an activation without one.</exception>
    public static TrainOptions Resolve(TrainOverrides given)
    {
        ArgumentNullException.ThrowIfNull(given);
        var info = ModelRegistry.Describe(given.Model ?? throw new ArgumentException("--model is required."));
        var data = DataSets.Get(given.Dataset ?? throw new ArgumentException("--dataset is required."));
        string dataKey = data.Recipe ?? data.Name;
        var recipe = given.Preset is null ? PresetCatalog.Match(info.Name, dataKey) : PresetCatalog.Get(given.Preset);
        var o = given.Or(recipe is null ? new TrainOverrides() : FromPreset(recipe, info.Name, dataKey)).Or(TrainOverrides.Defaults);
        var (schedule, milestones) = ParseSchedule(o.Schedule!, recipe, o.Epochs!.Value);
        var options = Validate(new TrainOptions
        {
            Model = info.Name, Dataset = data.Name, Activation = o.Activation!.Trim().ToLowerInvariant(), P = o.P!.Value, Preset = recipe?.Name,
            Epochs = o.Epochs.Value, BatchSize = o.BatchSize!.Value, LearningRate = o.LearningRate!.Value, Schedule = schedule, Milestones = milestones,
            Gamma = o.Gamma!.Value, WeightDecay = o.WeightDecay!.Value, Momentum = o.Momentum!.Value, Dropout = o.Dropout, Seed = o.Seed!.Value,
            Threads = o.Threads!.Value, Cutout = o.Cutout, AutoAugment = o.AutoAugment, DropActStages = ParseStages(o.DropActStages, info),
            TrainSubset = o.TrainSubset, StratifiedSubset = o.StratifiedSubset, EvalEvery = o.EvalEvery,
            TestSubset = o.TestSubset, Device = o.Device!, ValidationSplit = o.ValidationSplit,
            TrainSplit = o.TrainSplit!.Trim().ToLowerInvariant(), Augment = !o.NoAugment, InitFrom = o.InitFrom,
            ChannelsLast = o.ChannelsLast, Precision = o.Precision!.Trim().ToLowerInvariant() is var precision && precision == "fp32" ? null : precision,
        });
        if (given.P is not null && !ActivationFactory.Get(options.Activation).TakesP)
            throw new ArgumentException($"--p is Drop-Activation's keep probability; --act {options.Activation} has none (use --act dropact, or leave --p out).");
        return options;
    }

    /// <summary>
    /// The options of a resumed run that is to end after <paramref name="epochs"/> epochs in all, checked: the schedule follows as
    /// for a fresh run of that length (milestones that were the default 50 % and 75 % of the old length move to those of the new one;
    /// a preset's or explicitly given milestones stay).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer epochs than <paramref name="epochsDone"/>, or a value <see cref="Validate"/> rejects.</exception>
    public static TrainOptions Resume(TrainOptions saved, int epochs, int epochsDone)
    {
        ArgumentNullException.ThrowIfNull(saved);
        bool defaultMilestones = saved.Preset is null && saved.Schedule == "multistep" && saved.Milestones.SequenceEqual(DefaultMilestones(saved.Epochs));
        var options = Validate(saved with { Epochs = epochs, Milestones = defaultMilestones ? DefaultMilestones(epochs) : saved.Milestones });
        return epochs >= epochsDone ? options : throw new ArgumentException($"--epochs {epochs} is below the {epochsDone} epochs this run has already done.");
    }

    /// <summary>Checks every name and value of <paramref name="o"/>, listing the valid choices when one is wrong; returns it.</summary>
    /// <exception cref="ArgumentException">An unknown name or an out-of-range value.</exception>
    public static TrainOptions Validate(TrainOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var info = ModelRegistry.Describe(o.Model); // throws with the valid names
        var data = DataSets.Get(o.Dataset);         // idem
        if (!ActivationFactory.Names.Contains(o.Activation))
            throw new ArgumentException($"Unknown activation '{o.Activation}'. Valid: {string.Join(", ", ActivationFactory.Names)}.", "activation");
        DA.CheckP(o.P, "--p");
        Positive(o.Epochs, "--epochs");
        Positive(o.BatchSize, "--batch-size");
        if (!(o.LearningRate > 0) || double.IsInfinity(o.LearningRate)) throw new ArgumentException($"--lr must be positive, got {o.LearningRate}.");
        if (!LearningRateSchedule.Names.Contains(o.Schedule))
            throw new ArgumentException($"Unknown schedule '{o.Schedule}'. Valid: multistep[:M1,M2,...], cosine, constant.");
        if (o.Milestones.Any(m => m < 1)) throw new ArgumentException($"Milestones are positive epoch numbers, got {string.Join(",", o.Milestones)}.");
        if (!(o.Gamma > 0)) throw new ArgumentException($"--gamma must be positive, got {o.Gamma}.");
        if (o.WeightDecay < 0 || o.Momentum < 0 || o.Momentum >= 1)
            throw new ArgumentException($"--wd must be >= 0 and --momentum in [0, 1); got {o.WeightDecay}, {o.Momentum}.");
        var unknown = o.DropActStages?.Where(s => !info.Stages.Contains(s)).ToList() ?? [];
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown stage(s) {string.Join(", ", unknown)} for {info.Name}. Valid: {string.Join(", ", info.Stages)}, all, or last:N.");
        var trainable = data.Splits.Where(s => s != RunData.TestSplit(data)).ToArray();
        if (!trainable.Contains(o.TrainSplit))
            throw new ArgumentException($"--train-split '{o.TrainSplit}' is not a training split of {data.Name}. Valid: {string.Join(", ", trainable)}.");
        if (o.Cutout) Augmentations.CutoutLength(data.Recipe ?? data.Name);              // throws for data sets without a Cutout size
        if (o.AutoAugment) Augmentations.AutoAugmentPolicyFor(data.Recipe ?? data.Name); // throws for data sets without a policy
        if (o.TrainSubset is < 1 || o.TestSubset is < 1) throw new ArgumentException("--train-subset and --test-subset must be at least 1.");
        if (o.StratifiedSubset && o.TrainSubset is not { } n)
            throw new ArgumentException("--stratified-subset draws --train-subset by class: give --train-subset N too.");
        if (o.StratifiedSubset && o.TrainSubset % data.NumClasses != 0)
            throw new ArgumentException($"--stratified-subset takes N / classes images of every class: --train-subset {o.TrainSubset} is not a multiple of {data.NumClasses}, the classes of {data.Name}.");
        if (o.EvalEvery is < 1) throw new ArgumentException($"--eval-every must be at least 1, got {o.EvalEvery}.");
        if (o.Threads < 0) throw new ArgumentException($"--threads must be >= 0, got {o.Threads}.");
        if (o.ValidationSplit is { } v && !(v > 0 && v < 1))
            throw new ArgumentException($"--validation-split must lie strictly between 0 and 1, got {v.ToString(CultureInfo.InvariantCulture)}.");
        if (!o.Augment && (o.Cutout || o.AutoAugment))
            throw new ArgumentException("--no-augment cannot be combined with --cutout or --autoaugment.");
        if (o.Precision is { } precision) ComputeMode.IsBFloat16(precision);
        if (o.Precision == "bf16" && o.Device != "cpu")
            throw new ArgumentException($"--precision {o.Precision} is libtorch's CPU autocast; --device {o.Device} trains in fp32.");
        return o;
    }

    /// <summary>The preset's values as the middle layer of the merge; dropout and split only where the preset was used for this model and data set.</summary>
    private static TrainOverrides FromPreset(Preset p, string model, string dataset) => new()
    {
        Epochs = p.Epochs, BatchSize = p.BatchSize, LearningRate = p.LearningRate, Schedule = p.Schedule, Gamma = p.Gamma,
        WeightDecay = p.WeightDecay, Momentum = p.Momentum, Dropout = p.Models.Contains(model) ? p.Dropout : null,
        TrainSplit = p.Datasets.Contains(dataset) ? p.TrainSplit : null,
        DropActStages = p.DropActLastStages is { } n ? [FormattableString.Invariant($"last:{n}")] : null,
        EvalEvery = p.EvalEvery,
    };

    private static (string, IReadOnlyList<int>) ParseSchedule(string text, Preset? recipe, int epochs)
    {
        var parts = text.Split(':', 2);
        var kind = parts[0].Trim().ToLowerInvariant();
        if (kind != "multistep") return (kind, Array.Empty<int>());
        if (parts.Length == 1)
            return (kind, recipe?.Milestones ?? DefaultMilestones(epochs));
        var ms = new List<int>();
        foreach (var m in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            ms.Add(int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v : throw new ArgumentException($"Bad milestone '{m}' in --schedule {text}: milestones are positive epoch numbers."));
        return (kind, ms.Order().ToArray());
    }

    private static IReadOnlyList<string>? ParseStages(IReadOnlyList<string>? given, ModelInfo info)
    {
        var list = given?.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (list is null or [] || (list is [var all] && all.Equals("all", StringComparison.OrdinalIgnoreCase))) return null;
        if (list is not [var last] || !last.StartsWith("last:", StringComparison.OrdinalIgnoreCase)) return list;
        if (!int.TryParse(last[5..], out int k) || k < 1 || k > info.Stages.Count)
            throw new ArgumentException($"--dropact-stages {last}: N must lie in 1..{info.Stages.Count} for {info.Name}.");
        return ModelRegistry.LastStages(info.Name, k);
    }

    private static int[] DefaultMilestones(int epochs) => new[] { epochs / 2, epochs * 3 / 4 }.Where(m => m > 0).Distinct().ToArray();

    private static void Positive(int v, string flag)
    {
        if (v < 1) throw new ArgumentException($"{flag} must be at least 1, got {v}.");
    }
}
