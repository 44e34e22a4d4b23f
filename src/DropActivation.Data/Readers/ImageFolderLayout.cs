namespace DropActivation.Data.Readers;

/// <summary>
/// Finds where one split of an image-folder data set lives inside a folder: a <c>&lt;split&gt;/</c>
/// subfolder, else an archive (<c>.tar</c>, <c>.tar.gz</c>, <c>.tgz</c>) named for the split
/// (<c>*-&lt;split&gt;.tar.gz</c>, <c>*_&lt;split&gt;.tar</c>, <c>&lt;split&gt;.tgz</c>, ...), else the folder's only
/// archive not named for another split (one archive holding <c>train/</c> and <c>test/</c>).
/// </summary>
public static class ImageFolderLayout
{
    private static readonly string[] ArchiveSuffixes = [".tar.gz", ".tgz", ".tar"];
    private static readonly string[] SplitNames = ["train", "test", "val", "extra"];

    /// <summary>The layout an image-folder copy may have, for messages.</summary>
    public const string Description = "train/ and test/ (or val/) folders of <class>/<image>.jpg, or .tar/.tar.gz archives of them (e.g. NAME-train.tar.gz, NAME-test.tar.gz)";

    /// <summary>The folder or archive to pass to <see cref="PackedImageFolder.Load"/> for <paramref name="split"/>, or null when <paramref name="dir"/> holds neither.</summary>
    public static string? Find(string dir, string split)
    {
        if (!Directory.Exists(dir)) return null;
        if (Directory.Exists(Path.Combine(dir, split))) return dir;
        var archives = Directory.GetFiles(dir).Where(f => Stem(f) is not null).Order(StringComparer.Ordinal).ToArray();
        var named = archives.FirstOrDefault(f => NamedFor(Stem(f)!) == split);
        if (named is not null) return named;
        var unnamed = archives.Where(f => NamedFor(Stem(f)!) is null).ToArray();
        return unnamed.Length == 1 ? unnamed[0] : null;
    }

    private static string? Stem(string file)
    {
        var name = Path.GetFileName(file);
        var suffix = ArchiveSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
        return suffix is null ? null : name[..^suffix.Length];
    }

    private static string? NamedFor(string stem) =>
        SplitNames.FirstOrDefault(s => stem.Equals(s, StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith("-" + s, StringComparison.OrdinalIgnoreCase) || stem.EndsWith("_" + s, StringComparison.OrdinalIgnoreCase));
}
