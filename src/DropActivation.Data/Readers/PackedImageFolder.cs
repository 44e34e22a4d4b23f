using System.Formats.Tar;
using DropActivation.Data.Augmentation;

namespace DropActivation.Data.Readers;

/// <summary>
/// One split of an image-folder data set (<c>&lt;split&gt;/&lt;class&gt;/&lt;image&gt;</c>, the class taken from the
/// folder name) read whole into a compact uint8 <see cref="ImageDataset"/>: from a folder, or from a
/// <c>.tar</c>/<c>.tar.gz</c> archive of one, decoding every image once (in parallel, with SkiaSharp).
/// The decoded tensor is cached (<see cref="ImageFolderCache"/>), so a second load reads one file.
/// All images must have one size. Errors name the file: a corrupt image, an empty class folder,
/// class folders that differ from the expected classes, an image of another size.
/// </summary>
public static class PackedImageFolder
{
    /// <summary>
    /// Loads split <paramref name="split"/> of <paramref name="source"/> (a folder holding
    /// <c>&lt;split&gt;/</c>, or an archive holding it), through the cache in <paramref name="cacheDir"/>
    /// (null: <see cref="ImageFolderCache.DefaultDirectory"/>). With <paramref name="classOrder"/>, the
    /// class folders must be exactly those names and labels follow that order (a known data set's
    /// label numbering); without it, classes are the folder names in ordinal order.
    /// </summary>
    /// <exception cref="DataNotFoundException">The source or its split is missing.</exception>
    /// <exception cref="DataFormatException">A corrupt archive or image, an empty class folder, unexpected classes, mixed sizes.</exception>
    public static ImageDataset Load(string source, string split, string name, IReadOnlyList<string>? classOrder = null, string? cacheDir = null)
    {
        var key = ImageFolderCache.Key(source, split);
        var cache = new ImageFolderCache(cacheDir ?? ImageFolderCache.DefaultDirectory);
        var data = cache.TryRead(source, split, key, name, source);
        if (data is null)
        {
            data = Decode(source, split, name);
            cache.Write(source, split, key, data);
        }
        return classOrder is null ? data : Reorder(source, split, data, classOrder);
    }

    /// <summary>The same images with labels numbered by <paramref name="classOrder"/> (the class folders must be exactly those).</summary>
    private static ImageDataset Reorder(string source, string split, ImageDataset data, IReadOnlyList<string> classOrder)
    {
        var folders = data.ClassNames.ToHashSet(StringComparer.Ordinal);
        var missing = classOrder.Where(c => !folders.Contains(c)).ToList();
        var extra = data.ClassNames.Where(c => !classOrder.Contains(c)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            data.Dispose();
            throw new DataFormatException($"{source}: {split}/",
                $"class folders do not match the data set's classes ({string.Join(", ", classOrder)})" +
                (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + (extra.Count > 0 ? $"; unexpected: {string.Join(", ", extra)}" : ""));
        }
        var index = classOrder.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (long)x.i, StringComparer.Ordinal);
        var labels = data.Labels.Select(l => index[data.ClassNames[(int)l]]).ToArray();
        return new ImageDataset(data.Name, data.Images, labels, classOrder.ToArray()) { Origin = data.Origin };
    }

    /// <summary>Reads and decodes split <paramref name="split"/> of <paramref name="source"/> without the cache; classes in ordinal order.</summary>
    public static ImageDataset Decode(string source, string split, string name)
    {
        var (classFolders, members) = Directory.Exists(source) ? ListFolder(source, split) : ListArchive(source, split);
        var classes = CheckClasses(source, split, classFolders, members);
        members.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var labels = new long[members.Count];
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (long)x.i, StringComparer.Ordinal);
        for (int i = 0; i < members.Count; i++) labels[i] = index[members[i].Class];
        return DecodeAll(source, name, members, labels, classes);
    }

    /// <summary>Image members of one split: archive path (or file path), class folder, encoded bytes.</summary>
    private sealed record Member(string Path, string Class, byte[] Bytes);

    private static (HashSet<string> Classes, List<Member> Members) ListFolder(string root, string split)
    {
        var dir = Path.Combine(root, split);
        if (!Directory.Exists(dir)) throw new DataNotFoundException($"{dir}: folder not found (expected {root}/{split}/<class>/<image>)", dir);
        var classes = Directory.GetDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(d => !d.StartsWith('.')).ToHashSet(StringComparer.Ordinal);
        var members = new List<Member>();
        foreach (var c in classes)
            foreach (var f in Directory.EnumerateFiles(Path.Combine(dir, c), "*", SearchOption.AllDirectories))
                if (ImageFolderDataset.Extensions.Contains(Path.GetExtension(f)))
                    members.Add(new Member(f, c, File.ReadAllBytes(f)));
        return (classes, members);
    }

    private static (HashSet<string> Classes, List<Member> Members) ListArchive(string archive, string split)
    {
        if (!File.Exists(archive)) throw new DataNotFoundException($"{archive}: neither a folder nor an archive", archive);
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<Member>();
        bool sawSplit = false;
        try
        {
            using var stream = DataStreams.OpenMaybeGzip(archive);
            using var tar = new TarReader(new TarHeaderGuard(stream));
            TarEntry? entry;
            while ((entry = tar.GetNextEntry()) is not null)
            {
                var parts = ArchivePath(entry.Name);
                if (parts.Length == 0 || parts[0] != split) continue;
                sawSplit = true;
                if (entry.EntryType == TarEntryType.Directory)
                {
                    if (parts.Length >= 2) classes.Add(parts[1]);
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                if (parts.Length < 3 || !ImageFolderDataset.Extensions.Contains(Path.GetExtension(parts[^1]))) continue;
                classes.Add(parts[1]);
                // Copied as it arrives, not allocated from the header's size, which may be absurd in a corrupt archive.
                var bytes = new MemoryStream();
                entry.DataStream.CopyTo(bytes);
                if (bytes.Length != entry.Length)
                    throw new DataFormatException(archive, $"truncated: member {entry.Name} ends after {bytes.Length} of its {entry.Length} bytes");
                members.Add(new Member($"{archive}!{string.Join('/', parts)}", parts[1], bytes.ToArray()));
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new DataFormatException(archive, $"corrupt or truncated archive ({e.Message})", e);
        }
        if (!sawSplit) throw new DataNotFoundException($"{archive}: holds no {split}/ folder (expected {split}/<class>/<image> inside)", archive);
        return (classes, members);
    }

    private static string[] ArchivePath(string entryName)
    {
        var parts = entryName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && parts[0] == "." ? parts[1..] : parts;
    }

    private static string[] CheckClasses(string source, string split, HashSet<string> folders, List<Member> members)
    {
        if (folders.Count == 0) throw new DataFormatException($"{source}: {split}/", "holds no class folders (expected <class>/<image> inside)");
        var counts = members.GroupBy(m => m.Class).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var empty = folders.Where(c => !counts.ContainsKey(c)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (empty is not null)
            throw new DataFormatException(Directory.Exists(source) ? Path.Combine(source, split, empty) : $"{source}!{split}/{empty}/",
                "empty class folder: holds no .jpg, .jpeg, .png, .bmp or .webp image");
        return folders.Order(StringComparer.Ordinal).ToArray();
    }

    private static unsafe ImageDataset DecodeAll(string source, string name, List<Member> members, long[] labels, string[] classes)
    {
        var first = new ImageBuffer();
        ImageFolderDataset.Decode(members[0].Bytes, members[0].Path, first);
        int c = first.Channels, h = first.Height, w = first.Width, size = first.Length;
        var images = TensorMemory.NewBytes(members.Count, c, h, w);
        try
        {
            var address = (byte*)TensorMemory.Address(images);
            var failures = new DataFormatException?[members.Count];
            Parallel.For(0, members.Count, () => new ImageBuffer(), (i, _, buffer) =>
            {
                try
                {
                    ImageFolderDataset.Decode(members[i].Bytes, members[i].Path, buffer);
                    if (buffer.Channels != c || buffer.Height != h || buffer.Width != w)
                        throw new DataFormatException(members[i].Path,
                            $"is {buffer.Width}×{buffer.Height}, the first image ({members[0].Path}) {w}×{h}: a packed image folder needs one image size");
                    buffer.Pixels.CopyTo(new Span<byte>(address + (long)i * size, size));
                }
                catch (DataFormatException e) { failures[i] = e; }
                return buffer;
            }, _ => { });
            if (failures.FirstOrDefault(f => f is not null) is { } failure) throw failure;
            return new ImageDataset(name, images, labels, classes) { Origin = source };
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }
}
