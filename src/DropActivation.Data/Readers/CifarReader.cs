using System.Formats.Tar;
using System.IO.Compression;

namespace DropActivation.Data.Readers;

/// <summary>
/// Reads the binary versions of CIFAR-10 (<c>cifar-10-batches-bin/</c>: records of 1 label byte +
/// 3072 pixel bytes, R then G then B planes, row-major) and CIFAR-100 (<c>cifar-100-binary/</c>:
/// records of coarse label, fine label, 3072 pixel bytes), from the extracted folder or straight
/// from the original <c>.tar.gz</c>.
/// </summary>
public static class CifarReader
{
    /// <summary>Bytes of one 32×32 RGB image.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>The CIFAR-10 class names (as in <c>batches.meta.txt</c>).</summary>
    public static readonly string[] Cifar10Classes =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The CIFAR-10 training files in order.</summary>
    public static readonly string[] Cifar10TrainFiles =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The CIFAR-10 test file.</summary>
    public const string Cifar10TestFile = "test_batch.bin";

    /// <summary>Reads CIFAR-10 training (<paramref name="train"/>) or test data from <paramref name="location"/>: the <c>cifar-10-batches-bin</c> folder or <c>cifar-10-binary.tar.gz</c>.</summary>
    public static ImageDataset ReadCifar10(string location, bool train)
    {
        string[] files = train ? Cifar10TrainFiles : [Cifar10TestFile];
        var parts = ReadParts(location, "cifar-10-batches-bin", files, "batches.meta.txt", out var meta);
        var names = ParseNames(meta, 10) ?? Cifar10Classes;
        return Assemble($"cifar10/{(train ? "train" : "test")}", parts, files, 1, 0, names, null, null);
    }

    /// <summary>Reads CIFAR-100 training or test data (fine labels; coarse labels in <see cref="ImageDataset.CoarseLabels"/>) from the <c>cifar-100-binary</c> folder or <c>cifar-100-binary.tar.gz</c>.</summary>
    public static ImageDataset ReadCifar100(string location, bool train)
    {
        string[] files = [train ? "train.bin" : "test.bin"];
        var parts = ReadParts(location, "cifar-100-binary", files, "fine_label_names.txt", out var fineMeta, "coarse_label_names.txt", out var coarseMeta);
        var fine = ParseNames(fineMeta, 100) ?? Enumerable.Range(0, 100).Select(i => $"class{i}").ToArray();
        var coarse = ParseNames(coarseMeta, 20) ?? Enumerable.Range(0, 20).Select(i => $"superclass{i}").ToArray();
        return Assemble($"cifar100/{(train ? "train" : "test")}", parts, files, 2, 1, fine, 0, coarse);
    }

    private static string[]? ParseNames(string? text, int expected)
    {
        if (text is null) return null;
        var names = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length == expected ? names : null;
    }

    private static Dictionary<string, (byte[] Data, string Path)> ReadParts(string location, string innerFolder, string[] files, string metaFile, out string? meta)
        => ReadParts(location, innerFolder, files, metaFile, out meta, null, out _);

    private static Dictionary<string, (byte[] Data, string Path)> ReadParts(string location, string innerFolder, string[] files,
        string metaFile, out string? meta, string? metaFile2, out string? meta2)
    {
        var parts = new Dictionary<string, (byte[], string)>();
        meta = meta2 = null;
        if (Directory.Exists(location))
        {
            foreach (var f in files)
            {
                var p = Path.Combine(location, f);
                if (!File.Exists(p))
                    throw new DataNotFoundException($"{p}: file not found (the folder {location} should hold {string.Join(", ", files)})", p);
                parts[f] = (File.ReadAllBytes(p), p);
            }
            var m = Path.Combine(location, metaFile);
            if (File.Exists(m)) meta = File.ReadAllText(m);
            if (metaFile2 is not null && File.Exists(Path.Combine(location, metaFile2))) meta2 = File.ReadAllText(Path.Combine(location, metaFile2));
            return parts;
        }
        if (!File.Exists(location))
            throw new DataNotFoundException($"{location}: neither a folder nor a file (expected the {innerFolder} folder or its .tar.gz archive)", location);
        try
        {
            using var fs = File.OpenRead(location);
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            using var tar = new TarReader(new TarHeaderGuard(gz));
            TarEntry? entry;
            while ((entry = tar.GetNextEntry()) is not null)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                var name = Path.GetFileName(entry.Name);
                bool isMeta = name == metaFile || name == metaFile2;
                if (!files.Contains(name) && !isMeta) continue;
                var ms = new MemoryStream();
                entry.DataStream.CopyTo(ms);
                if (name == metaFile) meta = System.Text.Encoding.ASCII.GetString(ms.ToArray());
                else if (name == metaFile2) meta2 = System.Text.Encoding.ASCII.GetString(ms.ToArray());
                else parts[name] = (ms.ToArray(), $"{location}!{entry.Name}");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new DataFormatException(location, $"corrupt or truncated archive ({e.Message})", e);
        }
        foreach (var f in files)
            if (!parts.ContainsKey(f))
                throw new DataFormatException(location, $"archive lacks {innerFolder}/{f}");
        return parts;
    }

    private static unsafe ImageDataset Assemble(string name, Dictionary<string, (byte[] Data, string Path)> parts, string[] order,
        int labelBytes, int fineIndex, string[] fineNames, int? coarseIndex, string[]? coarseNames)
    {
        int record = labelBytes + ImageBytes;
        long total = 0;
        foreach (var f in order)
        {
            var (data, path) = parts[f];
            if (data.Length == 0 || data.Length % record != 0)
                throw new DataFormatException(path, $"wrongly sized: {data.Length} bytes is not a whole number of {record}-byte records (truncated or not a CIFAR binary file)");
            total += data.Length / record;
        }
        var labels = new long[total];
        var coarse = coarseIndex is null ? null : new long[total];
        var images = TensorMemory.NewBytes(total, 3, 32, 32);
        try
        {
            byte* dst = (byte*)TensorMemory.Address(images);
            long k = 0;
            foreach (var f in order)
            {
                var (data, path) = parts[f];
                int n = data.Length / record;
                for (int i = 0; i < n; i++, k++)
                {
                    int off = i * record;
                    byte fine = data[off + fineIndex];
                    if (fine >= fineNames.Length)
                        throw new DataFormatException(path, $"record {i}: label {fine} is outside [0, {fineNames.Length}) (not a {(labelBytes == 1 ? "CIFAR-10" : "CIFAR-100")} binary file?)");
                    labels[k] = fine;
                    if (coarse is not null)
                    {
                        byte c = data[off + coarseIndex!.Value];
                        if (c >= coarseNames!.Length) throw new DataFormatException(path, $"record {i}: coarse label {c} is outside [0, {coarseNames.Length})");
                        coarse[k] = c;
                    }
                    data.AsSpan(off + labelBytes, ImageBytes).CopyTo(new Span<byte>(dst + k * ImageBytes, ImageBytes));
                }
            }
            return new ImageDataset(name, images, labels, fineNames, 255, coarse, coarseNames);
        }
        catch { images.Dispose(); throw; }
    }
}
