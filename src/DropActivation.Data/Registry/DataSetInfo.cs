using DropActivation.Data.Augmentation;

namespace DropActivation.Data.Registry;

/// <summary>
/// What the project knows about a named data set: where its files live under a data root
/// (<c>ROOT/<see cref="Folder"/>/</c>), how to get them, its splits, image shape and the standard
/// per-channel mean/std used for normalisation (values in [0, 1] units, i.e. after dividing by
/// <see cref="IDataSource.PixelMax"/>).
/// </summary>
public sealed record DataSetInfo
{
    /// <summary>Registry name: mnist, fashion-mnist, emnist-balanced, cifar10, cifar100, svhn, digits, imagenet.</summary>
    public required string Name { get; init; }

    /// <summary>Human-readable title.</summary>
    public required string Title { get; init; }

    /// <summary>Subfolder of the data root holding the files.</summary>
    public required string Folder { get; init; }

    /// <summary>Number of classes.</summary>
    public required int NumClasses { get; init; }

    /// <summary>Channels, height and width of the stored images (height/width null for image folders).</summary>
    public required (int Channels, int? Height, int? Width) Shape { get; init; }

    /// <summary>Standard per-channel mean.</summary>
    public required float[] Mean { get; init; }

    /// <summary>Standard per-channel standard deviation.</summary>
    public required float[] Std { get; init; }

    /// <summary>Where the mean/std come from.</summary>
    public required string StatsSource { get; init; }

    /// <summary>Split names accepted by <see cref="DataSets.Load"/>; the first is the training split.</summary>
    public required IReadOnlyList<string> Splits { get; init; }

    /// <summary>Files that <c>dropact data fetch</c> downloads (empty when the data set cannot be downloaded automatically).</summary>
    public required IReadOnlyList<RemoteFile> Files { get; init; }

    /// <summary>The expected layout under the data set's folder, for messages.</summary>
    public required string Layout { get; init; }

    /// <summary>Extra instructions when the files must be obtained by hand (ImageNet), else null.</summary>
    public string? ManualInstructions { get; init; }

    /// <summary>
    /// The registry data set whose recipe applies (presets; its <see cref="Augment"/> is copied): the data set
    /// itself, or for a <c>folder:</c> data set the registry data set with the same classes (null when none has
    /// them: plain images, no augmentation).
    /// </summary>
    public string? Recipe { get; init; }

    /// <summary>The augmentation facts of its recipe: crops, Cutout length, AutoAugment policy, normalisation convention.</summary>
    public AugmentRecipe Augment { get; init; } = new();

    /// <summary>
    /// The class folder names, in label order, of an image-folder copy of this data set (see
    /// <see cref="DataSets.Load"/>), or null when it cannot come as an image folder.
    /// </summary>
    public IReadOnlyList<string>? ImageFolderClasses { get; init; }

    /// <summary>Folders under a data root that may hold an image-folder copy: <c>&lt;folder&gt;/</c> and <c>&lt;folder&gt;-jpeg/</c>.</summary>
    public IReadOnlyList<string> ImageFolderDirectories(string root) => [Directory(root), Directory(root) + "-jpeg"];

    internal Func<string, string, IDataSource> Loader { get; init; } = null!;

    /// <summary>The folder of this data set under <paramref name="root"/>.</summary>
    public string Directory(string root) => Path.Combine(root, Folder);
}
