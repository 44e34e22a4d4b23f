using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Loading;
using DropActivation.Data.Registry;

namespace DropActivation.Training;

/// <summary>
/// The data of a run: the named data set's training and test splits from a data root (optionally a
/// fixed random subset of each), with the data set's standard training augmentation (plus Cutout or
/// AutoAugment) and its evaluation pipeline.
/// </summary>
public sealed class RunData : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    private RunData(DataSetInfo info, IDataSource train, IDataSource test)
    {
        Info = info; Train = train; Test = test;
    }

    /// <summary>What the registry knows about the data set (classes, shape, mean/std).</summary>
    public DataSetInfo Info { get; }

    /// <summary>Training images.</summary>
    public IDataSource Train { get; }

    /// <summary>Test (or validation) images.</summary>
    public IDataSource Test { get; }

    /// <summary>The split evaluated as "test": "test", or "val" where the data set has no test split (ImageNet).</summary>
    public static string TestSplit(DataSetInfo info) => info.Splits.Contains("test") ? "test" : "val";

    /// <summary>
    /// Loads the splits; subsets (when given) are the same for every seed, so runs stay comparable.
    /// With <paramref name="validationSplit"/>, the "test" images are that stratified fraction of the
    /// training set (split by <paramref name="splitSeed"/>) and training uses the rest.
    /// <paramref name="trainSplit"/> names the training split: "train", or e.g. SVHN's "train+extra".
    /// With <paramref name="stratifiedSubset"/>, the training subset is <paramref name="trainSubset"/> / classes images of
    /// every class chosen by <paramref name="splitSeed"/> (<see cref="DataSplit.PerClass"/>) instead of the fixed random one.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown data set name (the message lists the valid ones).</exception>
    /// <exception cref="DataNotFoundException">The files are not under <paramref name="root"/>.</exception>
    public static RunData Load(string dataset, string root, int? trainSubset = null, int? testSubset = null, bool loadTrain = true,
        double? validationSplit = null, ulong splitSeed = 0, string trainSplit = "train", bool stratifiedSubset = false)
    {
        var info = DataSets.Get(dataset);
        IDataSource TrainPart(IDataSource s) => stratifiedSubset && trainSubset is { } n
            ? DataSplit.PerClass(s, n / s.ClassNames.Count, splitSeed)
            : DataSplit.Subset(s, trainSubset);
        if (validationSplit is { } fraction)
        {
            var full = DataSets.Load(info.Name, root, trainSplit);
            var (rest, held) = DataSplit.TrainValidation(full, fraction, splitSeed);
            var split = new RunData(info, TrainPart(rest), DataSplit.Subset(held, testSubset));
            if (full is IDisposable owned) split._owned.Add(owned);
            return split;
        }
        var test = DataSets.Load(info.Name, root, TestSplit(info));
        var train = loadTrain ? DataSets.Load(info.Name, root, trainSplit) : test;
        var data = new RunData(info, TrainPart(train), DataSplit.Subset(test, testSubset));
        foreach (var s in new[] { train, test }.Distinct()) if (s is IDisposable d) data._owned.Add(d);
        return data;
    }

    /// <summary>Input height = width the model is built for (the training pipeline's output).</summary>
    public int ImageSize()
    {
        var shape = Augmentations.Eval(Info).OutputShape(Test) ?? throw new InvalidOperationException($"{Info.Name}: images vary in size");
        return shape.Height;
    }

    /// <summary>The shuffled, augmented training loader: order and augmentation are functions of (seed, epoch, index).</summary>
    public DataLoader TrainLoader(int batchSize, ulong seed, bool cutout, bool autoAugment, bool augment = true, bool channelsLast = false)
    {
        var extras = (cutout ? AugmentExtras.Cutout : AugmentExtras.None) | (autoAugment ? AugmentExtras.AutoAugment : AugmentExtras.None);
        var pipeline = augment ? Augmentations.Train(Info, extras) : Augmentations.Eval(Info);
        return new DataLoader(Train, pipeline, batchSize, shuffle: true, seed: seed) { ChannelsLast = channelsLast };
    }

    /// <summary>The evaluation loader (fixed order, no augmentation).</summary>
    public DataLoader TestLoader(int batchSize, bool channelsLast = false) =>
        new(Test, Augmentations.Eval(Info), batchSize, shuffle: false) { ChannelsLast = channelsLast };

    /// <summary>Frees the in-memory images.</summary>
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
    }
}
