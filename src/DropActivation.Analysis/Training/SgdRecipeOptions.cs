using DropActivation.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.Training;

/// <summary>
/// The small SGD recipe that the analyses' own training runs share (p-search, variance shift):
/// data set and root, epochs, batch, learning rate and schedule, momentum, weight decay, an
/// optional training subset, seed and threads, with their checks. The paper gives no optimiser
/// settings for these experiments; the defaults are ours.
/// </summary>
public abstract record SgdRecipeOptions
{
    /// <summary>Data set name (see <c>dropact data list</c>).</summary>
    public string Dataset { get; init; } = "cifar10";

    /// <summary>Data root holding ROOT/&lt;folder&gt;/.</summary>
    public required string DataRoot { get; init; }

    /// <summary>Epochs per run.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Learning-rate schedule: cosine, multistep (no milestones: constant) or constant.</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Use only a fixed, stratified subset of about this many training images (null: all).</summary>
    public int? TrainSubset { get; init; }

    /// <summary>Seed of splits, weights, data order and the random activations.</summary>
    public long Seed { get; init; }

    /// <summary>Torch threads (0: default).</summary>
    public int Threads { get; init; }

    /// <summary>The learning rate of an epoch (0-based).</summary>
    public double LearningRateAt(int epoch) =>
        LearningRateSchedule.At(Schedule, LearningRate, epoch, Epochs, Array.Empty<int>(), 0.1);

    /// <summary>SGD with this recipe's momentum and weight decay over the model's parameters.</summary>
    public SgdMomentum CreateOptimizer(nn.Module model) => new(model, Momentum, WeightDecay);

    /// <summary>Checks the recipe's values; derived options add their own checks.</summary>
    /// <exception cref="ArgumentException">A value out of range or an unknown schedule.</exception>
    protected void ValidateRecipe()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"The learning rate must be positive, got {LearningRate}.");
        if (TrainSubset is < 20) throw new ArgumentException($"A training subset needs at least 20 images, got {TrainSubset}.");
        if (Threads < 0) throw new ArgumentException($"Threads must be 0 (default) or positive, got {Threads}.");
        LearningRateAt(0); // throws for an unknown schedule
    }
}
