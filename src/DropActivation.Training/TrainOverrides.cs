using System.Reflection;

namespace DropActivation.Training;

/// <summary>
/// The settings of a run as a user gives them (the options of <c>dropact train</c>, a sweep spec's "overrides"), each
/// null (or false) when not given. <see cref="TrainOptionsResolver"/> takes every value from here, else from the preset,
/// else from <see cref="Defaults"/>. The one description of train's options: each property's <see cref="TrainFlagAttribute"/>
/// names its option, and the command line builds its options from them.
/// </summary>
public sealed record TrainOverrides
{
    /// <summary>
    /// The values in effect when neither the command line nor a preset gives one: Drop-Activation with the paper's p,
    /// SGD (momentum 0.9), lr 0.1, batch 128, weight decay 1e-4, 10 epochs, multi-step (×0.1 at 50 % and 75 % of the epochs).
    /// </summary>
    public static TrainOverrides Defaults { get; } = new()
    {
        Activation = "dropact", P = DA.DefaultP, Epochs = 10, BatchSize = 128, LearningRate = 0.1, Schedule = "multistep", Gamma = 0.1,
        WeightDecay = 1e-4, Momentum = 0.9, Seed = 0, Threads = 0, Device = "cpu", TrainSplit = "train", Precision = "fp32",
    };

    private static readonly PropertyInfo[] Values = typeof(TrainOverrides).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    [TrainFlag("--model", "Model name (see 'dropact models'), e.g. resnet164, wrn-28-10, simple-cnn.")] public string? Model { get; init; }
    [TrainFlag("--dataset", "Data set: mnist, fashion-mnist, emnist-balanced, cifar10, cifar100, svhn, digits, imagenet, or folder:PATH (an image folder with train/ and test/ or val/, or .tar/.tar.gz archives of them).")] public string? Dataset { get; init; }
    [TrainFlag("--act", "Activation: relu (baseline), rrelu or dropact.")] public string? Activation { get; init; }
    [TrainFlag("--p", "Drop-Activation's probability of keeping the nonlinearity (dropact activations only).")] public double? P { get; init; }
    [TrainFlag("--preset", "Recipe name (see 'dropact presets') or a preset .json file. Default: the paper's recipe for the model and data set, if any.")] public string? Preset { get; init; }
    [TrainFlag("--epochs", "Epochs (overrides the preset).")] public int? Epochs { get; init; }
    [TrainFlag("--batch-size", "Batch size.")] public int? BatchSize { get; init; }
    [TrainFlag("--lr", "Initial learning rate.")] public double? LearningRate { get; init; }
    [TrainFlag("--schedule", "multistep[:M1,M2,...] (lr × gamma from each 0-based epoch M), cosine or constant.")] public string? Schedule { get; init; }
    [TrainFlag("--gamma", "Multi-step factor.")] public double? Gamma { get; init; }
    [TrainFlag("--wd", "Weight decay.")] public double? WeightDecay { get; init; }
    [TrainFlag("--momentum", "SGD momentum (paper: 0.9).")] public double? Momentum { get; init; }
    [TrainFlag("--dropout", "Dropout of the Wide ResNets.")] public double? Dropout { get; init; }
    [TrainFlag("--seed", "Seed (weights, data order, augmentation, random activations).")] public long? Seed { get; init; }
    [TrainFlag("--threads", "Torch threads (0: default). Fix it for bit-exact resume on CPU.")] public int? Threads { get; init; }
    [TrainFlag("--cutout", "Cutout (CIFAR-10/100, SVHN).")] public bool Cutout { get; init; }
    [TrainFlag("--autoaugment", "AutoAugment (CIFAR-10/100, SVHN policies).")] public bool AutoAugment { get; init; }
    [TrainFlag("--dropact-stages", "Stages that get the activation: names (comma-separated), last:N, or all. ImageNet presets: last:2.")] public string[]? DropActStages { get; init; }
    [TrainFlag("--train-subset", "Train on a fixed random subset of this many images.")] public int? TrainSubset { get; init; }
    [TrainFlag("--stratified-subset", "Draw --train-subset as the same number of images of every class (N / classes each), chosen by the seed: the same images for every activation of a seed, other images for another seed.")] public bool StratifiedSubset { get; init; }
    [TrainFlag("--eval-every", "Evaluate the test (or validation) set every this many epochs and after the last one (default: every epoch).")] public int? EvalEvery { get; init; }
    [TrainFlag("--test-subset", "Test on a fixed random subset of this many images.")] public int? TestSubset { get; init; }
    [TrainFlag("--validation-split", "Hold out this stratified fraction of the training set (split by the seed) and report its error instead of the test set's (the paper's p-search: 0.1).")] public double? ValidationSplit { get; init; }
    [TrainFlag("--train-split", "Split to train on: train, or train+extra for SVHN (604,388 images; the SVHN presets' default, as in the paper).")] public string? TrainSplit { get; init; }
    [TrainFlag("--no-augment", "Train on the plain images, without the data set's crop/flip augmentation.")] public bool NoAugment { get; init; }
    [TrainFlag("--device", "cpu or cuda.")] public string? Device { get; init; }
    [TrainFlag("--channels-last", "Weights and batches in channels-last memory order (NHWC strides; faster convolutions on CPU). Checkpoints, weights and ONNX keep the standard layout.")] public bool ChannelsLast { get; init; }
    [TrainFlag("--precision", "fp32, or bf16: forward and loss under libtorch's CPU autocast in bfloat16 (weights and optimizer stay fp32); only on CPUs that compute bf16 natively (AVX512_BF16 or AMX).")] public string? Precision { get; init; }
    [TrainFlag("--init-from", "Start from these weights: a PyTorch state dict (.pt) or safetensors file with the reference implementation's key names (see 'dropact export').")] public string? InitFrom { get; init; }

    /// <summary>The options, in declaration order, with their flags.</summary>
    public static IEnumerable<(PropertyInfo Property, TrainFlagAttribute Flag)> Flags =>
        Values.Select(p => (p, p.GetCustomAttribute<TrainFlagAttribute>()!));

    /// <summary>This record with every value it lacks (null) taken from <paramref name="fallback"/>: one step of the merge.</summary>
    public TrainOverrides Or(TrainOverrides fallback)
    {
        var merged = this with { };
        foreach (var p in Values)
            if (p.GetValue(merged) is null) p.SetValue(merged, p.GetValue(fallback));
        return merged;
    }
}
