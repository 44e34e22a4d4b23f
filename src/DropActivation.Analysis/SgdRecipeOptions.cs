using System.Diagnostics.CodeAnalysis;
using DropActivation.Data;
using DropActivation.Data.Registry;
using DropActivation.Training.Optimization;
using TorchSharp;

namespace DropActivation.Analysis;

/// <summary>
/// The settings the analyses' own training runs share (p-search, variance shift): the training
/// library's <see cref="SgdRecipe"/> with the analyses' defaults (10 epochs, batch 128, learning rate
/// 0.05 with cosine decay, momentum 0.9, weight decay 5e-4; the paper gives no optimiser settings
/// for these experiments, these are ours), plus data set and root, an optional training subset,
/// seed and threads, with their checks.
/// </summary>
public abstract record SgdRecipeOptions : SgdRecipe
{
    /// <summary>The analyses' default recipe; object initialisers override any field.</summary>
    [SetsRequiredMembers]
    protected SgdRecipeOptions()
    {
        Epochs = 10;
        BatchSize = 128;
        LearningRate = 0.05;
        Schedule = "cosine";
        WeightDecay = 5e-4;
    }

    /// <summary>Data set name (see <c>dropact data list</c>).</summary>
    public string Dataset { get; init; } = "cifar10";

    /// <summary>Data root holding ROOT/&lt;folder&gt;/.</summary>
    public string DataRoot { get; init; } = "";

    /// <summary>Use only a fixed, stratified subset of about this many training images (null: all).</summary>
    public int? TrainSubset { get; init; }

    /// <summary>Seed of splits, weights, data order and the random activations.</summary>
    public long Seed { get; init; }

    /// <summary>Torch threads (0: default).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Sets torch's threads (when <see cref="Threads"/> is given) and loads <paramref name="info"/>'s training
    /// split from <see cref="DataRoot"/>; the analysis picks <see cref="DataSplit.StratifiedSubset"/> of it.
    /// Dispose the result (when disposable) to free the images.
    /// </summary>
    /// <exception cref="DataNotFoundException">The data set's files are not under the data root.</exception>
    public IDataSource LoadTrainingSplit(DataSetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (Threads > 0) torch.set_num_threads(Threads);
        return DataSets.Load(info.Name, DataRoot, "train");
    }

    /// <summary>SGD with this recipe's momentum and weight decay over the model's parameters.</summary>
    public SgdMomentum CreateOptimizer(torch.nn.Module model) => new(model, Momentum, WeightDecay);

    /// <summary>Checks the recipe's values; derived options add their own checks.</summary>
    /// <exception cref="ArgumentException">A value out of range, no data root or an unknown schedule.</exception>
    protected void ValidateRecipe()
    {
        if (string.IsNullOrWhiteSpace(DataRoot)) throw new ArgumentException("A data root is needed (the folder that holds <dataset>/...).");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"The learning rate must be positive, got {LearningRate}.");
        if (TrainSubset is < 20) throw new ArgumentException($"A training subset needs at least 20 images, got {TrainSubset}.");
        if (Threads < 0) throw new ArgumentException($"Threads must be 0 (default) or positive, got {Threads}.");
        LearningRateAt(0); // throws for an unknown schedule
    }
}
