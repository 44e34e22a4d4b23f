namespace DropActivation.Models.Registry;

/// <summary>A registry entry: what a name builds, its defaults, stages and the reference implementation it follows.</summary>
/// <param name="Name">The name as given to <see cref="ModelRegistry.Create(string, ModelConfig?)"/> (lower case).</param>
/// <param name="Family">Architecture family (vgg, resnet, preresnet, wrn, densenet-bc, resnext, resnet-imagenet, se-resnet, simple-cnn, mlp).</param>
/// <param name="Description">One line for listings.</param>
/// <param name="DefaultImageSize">Input size the original was trained at.</param>
/// <param name="DefaultInChannels">Input channels the original was trained with.</param>
/// <param name="ClassCounts">Class counts the paper uses it with (any positive count builds).</param>
/// <param name="Stages">Names of its stages, top-level submodules, first to last.</param>
/// <param name="MinImageSize">Smallest input size it accepts.</param>
/// <param name="DefaultDropout">Dropout of the original (null where it has none).</param>
/// <param name="Reference">The reference implementation whose architecture and initialisation it reproduces.</param>
public sealed record ModelInfo(
    string Name,
    string Family,
    string Description,
    int DefaultImageSize,
    int DefaultInChannels,
    IReadOnlyList<int> ClassCounts,
    IReadOnlyList<string> Stages,
    int MinImageSize,
    double? DefaultDropout,
    string Reference)
{
    /// <summary>The config the original was trained with: first class count, default channels, size and dropout, ReLU.</summary>
    public ModelConfig DefaultConfig() => new(ClassCounts[0], DefaultInChannels, DefaultImageSize) { Dropout = DefaultDropout };

    /// <summary>Whether the model takes feature vectors [N, features] (the regression MLP) rather than images.</summary>
    public bool TakesFeatures => Family == "mlp";

    /// <summary>One input's shape under <paramref name="config"/>: [features], or [channels, size, size] for an image model.</summary>
    public long[] InputShape(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return TakesFeatures ? [config.InChannels] : [config.InChannels, config.ImageSize, config.ImageSize];
    }
}
