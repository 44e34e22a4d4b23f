using System.Text.Json.Serialization;
using DropActivation.Training.Optimization;

namespace DropActivation.Training;

/// <summary>
/// Everything that defines a training run, after the preset and the command-line overrides are
/// merged (<see cref="TrainOptionsResolver"/>): what to train, on what, and the <see cref="SgdRecipe"/> in effect. Stored in the run folder (config.json) and in every
/// checkpoint, so a checkpoint alone can rebuild the model and continue the run.
/// </summary>
public sealed record TrainOptions : SgdRecipe
{
    /// <summary>Zoo model name (see DropActivation.Models.Registry.ModelRegistry).</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Data set name (see DropActivation.Data.Registry.DataSets).</summary>
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }

    /// <summary>"relu" (the baseline), "rrelu" or "dropact" (or any name of ActivationFactory).</summary>
    [JsonPropertyName("activation")] public required string Activation { get; init; }

    /// <summary>Drop-Activation's probability of keeping the nonlinearity.</summary>
    [JsonPropertyName("p")] public double P { get; init; } = DA.DefaultP;

    /// <summary>The preset the values started from, or null.</summary>
    [JsonPropertyName("preset")] public string? Preset { get; init; }

    /// <summary>Dropout of the Wide ResNets, or null for the model's default.</summary>
    [JsonPropertyName("dropout")] public double? Dropout { get; init; }

    /// <summary>Seed of weights, data order, augmentation and every random activation.</summary>
    [JsonPropertyName("seed")] public long Seed { get; init; }

    /// <summary>Torch intra-op threads (0: leave torch's default). Exact resume on CPU needs a fixed count.</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>Cutout (DeVries &amp; Taylor) on training images.</summary>
    [JsonPropertyName("cutout")] public bool Cutout { get; init; }

    /// <summary>AutoAugment (CIFAR-10 policy) on training images.</summary>
    [JsonPropertyName("autoaugment")] public bool AutoAugment { get; init; }

    /// <summary>Stages whose activations are replaced (null: all of them); the paper's ImageNet runs use the last two.</summary>
    [JsonPropertyName("dropact_stages")] public IReadOnlyList<string>? DropActStages { get; init; }

    /// <summary>Use only this many training images (a fixed, seed-independent random subset), or null for all.</summary>
    [JsonPropertyName("train_subset")] public int? TrainSubset { get; init; }

    /// <summary>
    /// Whether <see cref="TrainSubset"/> is class-stratified and chosen by the seed (N / classes images of each class; the
    /// same for every activation of a seed) instead of one fixed random subset for every seed. Written only when true.
    /// </summary>
    [JsonPropertyName("stratified_subset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool StratifiedSubset { get; init; }

    /// <summary>Evaluate every this many epochs and after the last (null: every epoch). Written only when set.</summary>
    [JsonPropertyName("eval_every")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EvalEvery { get; init; }

    /// <summary>Whether epoch <paramref name="epoch"/> (1-based) is evaluated: every <see cref="EvalEvery"/>-th and the last.</summary>
    public bool Evaluates(int epoch) => EvalEvery is not { } n || epoch % n == 0 || epoch == Epochs;

    /// <summary>Use only this many test images (fixed random subset), or null for all.</summary>
    [JsonPropertyName("test_subset")] public int? TestSubset { get; init; }

    /// <summary>Device: "cpu" or "cuda".</summary>
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";

    /// <summary>Weights and batches in channels-last memory order (<see cref="ComputeMode"/>). Written only when true.</summary>
    [JsonPropertyName("channels_last")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ChannelsLast { get; init; }

    /// <summary>"bf16": forward and loss under CPU autocast in bfloat16 (<see cref="ComputeMode"/>); null: fp32. Written only when bf16.</summary>
    [JsonPropertyName("precision")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Precision { get; init; }

    /// <summary>
    /// Hold out this stratified fraction of the training set (split by the run's seed) and report
    /// its error as the "test" error; the test set is not used. The paper's p-search: 0.1.
    /// </summary>
    [JsonPropertyName("validation_split")] public double? ValidationSplit { get; init; }

    /// <summary>
    /// The split trained on: "train", or a combination the data set offers, such as SVHN's
    /// "train+extra" (604,388 images), which the paper's SVHN runs use.
    /// </summary>
    [JsonPropertyName("train_split")] public string TrainSplit { get; init; } = "train";

    /// <summary>The data set's training augmentation (crop, flip, ...); false trains on the plain images.</summary>
    [JsonPropertyName("augment")] public bool Augment { get; init; } = true;

    /// <summary>
    /// Initial weights: a PyTorch state dict (<c>.pt</c>) or safetensors file with the reference implementation's key
    /// names (see <see cref="Interop.PyTorchWeights"/>), loaded after the seeded initialisation; null starts from that initialisation.
    /// </summary>
    [JsonPropertyName("init_from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InitFrom { get; init; }
}
