using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DropActivation.Data.Readers;

/// <summary>
/// The decoded form of an image-folder split (<see cref="PackedImageFolder"/>), one file per source
/// and split in a cache folder: an 8-byte magic, a JSON header (key, classes, shape), int64 labels
/// (classes in ordinal order) and the uint8 N×C×H×W pixels. The key hashes the source's full path,
/// the split and the source's state: for an archive its size, modification time and the SHA-256 of its
/// first and last MiB; for a folder every image file's path, size and modification time. When the
/// source changes, the key changes, the stale file is deleted and the images are decoded again.
/// Files are written to a temporary name and renamed, so concurrent loaders never read half a file.
/// </summary>
public sealed class ImageFolderCache
{
    private const string Magic = "DAIMGC01";
    private const int Edge = 1 << 20;

    /// <summary>Creates a cache in <paramref name="directory"/> (created on first write).</summary>
    public ImageFolderCache(string directory) => Directory = directory;

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// The default cache folder: <c>$DROPACT_CACHE</c>, else <c>$XDG_CACHE_HOME/dropact</c>, else
    /// <c>~/.cache/dropact</c>, each with <c>image-folders/</c> appended.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("DROPACT_CACHE") is { Length: > 0 } d ? d
                : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? Path.Combine(x, "dropact")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dropact");
            return Path.Combine(root, "image-folders");
        }
    }

    /// <summary>The cache key (hex SHA-256) of split <paramref name="split"/> of <paramref name="source"/> in its present state.</summary>
    public static string Key(string source, string split)
    {
        var full = Path.GetFullPath(source);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{Magic}\n{full}\n{split}\n"));
        if (System.IO.Directory.Exists(full))
        {
            var dir = Path.Combine(full, split);
            var files = System.IO.Directory.Exists(dir)
                ? System.IO.Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
            foreach (var f in files)
            {
                var fi = new FileInfo(f);
                hash.AppendData(Encoding.UTF8.GetBytes($"{f}\t{fi.Length}\t{fi.LastWriteTimeUtc.Ticks}\n"));
            }
        }
        else if (File.Exists(full))
        {
            var fi = new FileInfo(full);
            hash.AppendData(Encoding.UTF8.GetBytes($"{fi.Length}\t{fi.LastWriteTimeUtc.Ticks}\n"));
            using var fs = File.OpenRead(full);
            var buffer = new byte[Edge];
            hash.AppendData(buffer, 0, fs.ReadAtLeast(buffer, Edge, throwOnEndOfStream: false));
            if (fs.Length > 2L * Edge)
            {
                fs.Position = fs.Length - Edge;
                hash.AppendData(buffer, 0, fs.ReadAtLeast(buffer, Edge, throwOnEndOfStream: false));
            }
        }
        else throw new DataNotFoundException($"{source}: neither a folder nor an archive", source);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The cache file of (<paramref name="source"/>, <paramref name="split"/>) under <paramref name="key"/>.</summary>
    public string FilePath(string source, string split, string key) => Path.Combine(Directory, $"{Stem(source, split)}.{key[..16]}.u8img");

    /// <summary>The cached images (their <see cref="ImageDataset.Origin"/> set to <paramref name="origin"/>), or null when there is no valid cache file for <paramref name="key"/>.</summary>
    public unsafe ImageDataset? TryRead(string source, string split, string key, string name, string? origin = null)
    {
        var path = FilePath(source, split, key);
        if (!File.Exists(path)) return null;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> head = stackalloc byte[12];
            fs.ReadExactly(head);
            if (Encoding.ASCII.GetString(head[..8]) != Magic) return null;
            int jsonLength = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
            if (jsonLength <= 0 || 12L + jsonLength > fs.Length) return null;
            var json = new byte[jsonLength];
            fs.ReadExactly(json);
            var header = JsonSerializer.Deserialize<Header>(json);
            if (header is null || header.Key != key || Math.Min(Math.Min(header.Count, header.Channels), Math.Min(header.Height, header.Width)) <= 0) return null;
            long imageBytes = checked((long)header.Count * header.Channels * header.Height * header.Width);
            if (fs.Length != 12 + json.Length + 8L * header.Count + imageBytes) return null;
            var labelBytes = new byte[8 * header.Count];
            fs.ReadExactly(labelBytes);
            var labels = new long[header.Count];
            for (int i = 0; i < labels.Length; i++) labels[i] = BinaryPrimitives.ReadInt64LittleEndian(labelBytes.AsSpan(8 * i));
            var images = TensorMemory.NewBytes(header.Count, header.Channels, header.Height, header.Width);
            try
            {
                var address = (byte*)TensorMemory.Address(images);
                for (long done = 0; done < imageBytes;)
                {
                    int chunk = (int)Math.Min(1 << 30, imageBytes - done);
                    fs.ReadExactly(new Span<byte>(address + done, chunk));
                    done += chunk;
                }
                return new ImageDataset(name, images, labels, header.Classes) { Origin = origin };
            }
            catch
            {
                images.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException or OverflowException)
        {
            return null; // unreadable or inconsistent: decode again and overwrite it
        }
    }

    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="key"/> and deletes this source's stale
    /// files. A cache folder that cannot be written is not an error: the next load decodes again.
    /// </summary>
    public unsafe void Write(string source, string split, string key, ImageDataset data)
    {
        var path = FilePath(source, split, key);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var header = new Header
            {
                Key = key, Source = Path.GetFullPath(source), Split = split, Classes = data.ClassNames.ToArray(),
                Count = data.Count, Channels = data.Channels, Height = data.Height, Width = data.Width,
            };
            var json = JsonSerializer.SerializeToUtf8Bytes(header);
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> head = stackalloc byte[12];
                Encoding.ASCII.GetBytes(Magic, head);
                BinaryPrimitives.WriteInt32LittleEndian(head[8..], json.Length);
                fs.Write(head);
                fs.Write(json);
                var labelBytes = new byte[8 * data.Count];
                for (int i = 0; i < data.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(labelBytes.AsSpan(8 * i), data.Labels[i]);
                fs.Write(labelBytes);
                var address = (byte*)TensorMemory.Address(data.Images);
                long imageBytes = data.Images.numel();
                for (long done = 0; done < imageBytes;)
                {
                    int chunk = (int)Math.Min(1 << 30, imageBytes - done);
                    fs.Write(new ReadOnlySpan<byte>(address + done, chunk));
                    done += chunk;
                }
            }
            File.Move(temp, path, overwrite: true);
            foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, $"{Stem(source, split)}.*.u8img"))
                if (stale != path)
                {
                    File.Delete(stale);
                    File.Delete(stale + ".stats.json"); // the measured mean/std of the images that were cached there
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* nothing to clean up */ }
        }
    }

    private static string Stem(string source, string split)
    {
        var full = Path.GetFullPath(source);
        var label = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        var where = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..8];
        var safe = new string($"{label}-{split}".Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray());
        return $"{safe}.{where}";
    }

    private sealed record Header
    {
        public required string Key { get; init; }
        public required string Source { get; init; }
        public required string Split { get; init; }
        public required string[] Classes { get; init; }
        public required int Count { get; init; }
        public required int Channels { get; init; }
        public required int Height { get; init; }
        public required int Width { get; init; }
    }
}
