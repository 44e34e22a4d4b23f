using System.Collections.Concurrent;
using System.Text.Json;
using DropActivation.Data.Inspection;
using DropActivation.Data.Readers;

namespace DropActivation.Data.Registry;

/// <summary>
/// Data sets given as a path, <c>folder:PATH</c>: an image folder with <c>train/</c> and <c>test/</c> (or
/// <c>val/</c>), or <c>.tar</c>/<c>.tar.gz</c> archives of them (<see cref="ImageFolderLayout"/>); classes
/// are the folder names. When the classes are those of a registry data set (CIFAR-10, SVHN), the data
/// set takes that one's label order, mean/std and recipe; otherwise the mean/std are measured on the
/// training split once and stored beside its cache file, and training uses no augmentation. Images
/// are decoded once and cached (<see cref="PackedImageFolder"/>).
/// </summary>
public static class FolderDataSets
{
    private static readonly ConcurrentDictionary<string, DataSetInfo> Described = new();

    /// <summary>
    /// Describes the image-folder data set at <paramref name="path"/> (relative to the working
    /// folder); its <see cref="DataSetInfo.Name"/> is <c>folder:</c> plus the full path.
    /// </summary>
    /// <exception cref="DataNotFoundException">No training split, or neither a test nor a val split.</exception>
    /// <exception cref="DataFormatException">A corrupt image or archive, an empty class folder, mixed image sizes.</exception>
    public static DataSetInfo Describe(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("folder: needs a path, e.g. folder:data/pets", nameof(path));
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var train = ImageFolderLayout.Find(full, "train")
            ?? throw new DataNotFoundException($"{full}: no training images found; expected {ImageFolderLayout.Description}", full);
        var key = ImageFolderCache.Key(train, "train");
        return Described.GetOrAdd($"{full}\n{key}", _ => Build(full, train, key));
    }

    private static DataSetInfo Build(string full, string train, string key)
    {
        string testSplit = ImageFolderLayout.Find(full, "test") is not null ? "test"
            : ImageFolderLayout.Find(full, "val") is not null ? "val"
            : throw new DataNotFoundException($"{full}: holds a train split but neither test nor val; expected {ImageFolderLayout.Description}", full);
        string name = DataSets.FolderPrefix + full;
        using var images = PackedImageFolder.Load(train, "train", $"{name}/train");
        var known = DataSets.All.FirstOrDefault(d => d.ImageFolderClasses is { } c && c.Count == images.ClassNames.Count
                                                   && c.Order(StringComparer.Ordinal).SequenceEqual(images.ClassNames.Order(StringComparer.Ordinal)));
        var (mean, std, source) = known is not null
            ? (known.Mean, known.Std, $"{known.StatsSource} (the classes are {known.Title}'s)")
            : MeasuredStatistics(train, key, images);
        var classOrder = known?.ImageFolderClasses;
        return new DataSetInfo
        {
            Name = name, Title = $"image folder {full}" + (known is not null ? $" with the classes of {known.Name}" : ""), Folder = full,
            NumClasses = images.ClassNames.Count, Shape = (images.Channels, images.Height, images.Width),
            Mean = mean, Std = std, StatsSource = source, Splits = ["train", testSplit], Files = [],
            Layout = ImageFolderLayout.Description, Recipe = known?.Name, Augment = known?.Augment ?? new(), ImageFolderClasses = classOrder ?? images.ClassNames.ToArray(),
            Loader = (dir, split) => PackedImageFolder.Load(ImageFolderLayout.Find(dir, split)
                    ?? throw new DataNotFoundException($"{dir}: no {split} split; expected {ImageFolderLayout.Description}", dir),
                split, $"{name}/{split}", classOrder),
        };
    }

    /// <summary>The training split's per-channel mean/std, measured once and stored in a JSON file beside the cache file.</summary>
    private static (float[] Mean, float[] Std, string Source) MeasuredStatistics(string train, string key, ImageDataset images)
    {
        var cache = new ImageFolderCache(ImageFolderCache.DefaultDirectory);
        var file = cache.FilePath(train, "train", key) + ".stats.json";
        var source = $"measured on the training split ({images.Count:N0} images), stored in {file}";
        try
        {
            if (File.Exists(file) && JsonSerializer.Deserialize<StoredStatistics>(File.ReadAllText(file)) is { } stored
                && stored.Mean.Length == images.Channels && stored.Std.Length == images.Channels)
                return (stored.Mean, stored.Std, source);
        }
        catch (JsonException) { /* measure again and overwrite */ }
        var st = DataStatistics.Compute(images);
        var mean = st.ChannelMean.Select(v => (float)v).ToArray();
        var std = st.ChannelStd.Select(v => (float)v).ToArray();
        try
        {
            Directory.CreateDirectory(cache.Directory);
            File.WriteAllText(file, JsonSerializer.Serialize(new StoredStatistics(mean, std)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { source = $"measured on the training split ({images.Count:N0} images)"; }
        return (mean, std, source);
    }

    private sealed record StoredStatistics(float[] Mean, float[] Std);
}
