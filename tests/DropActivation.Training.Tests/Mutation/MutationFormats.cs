using System.IO.Compression;
using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Readers;
using DropActivation.Data.Tests;
using DropActivation.Sweeps.Specs;
using SkiaSharp;

namespace DropActivation.Training.Tests.Mutation;

/// <summary>Every file format the project reads, with a small valid file of each (the writers of the format tests) and the reader's call.</summary>
internal static class MutationFormats
{
    private static readonly byte[] Labels = [3, 1, 4, 1, 5, 9];

    private static byte[] Idx3() => FormatWriters.Idx3(Labels.Length, 28, 28, (i, r, c) => FormatWriters.Pixel(i, 0, r, c));

    private static byte[] EmnistZip()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (kind, data) in new[] { ("images-idx3", Idx3()), ("labels-idx1", FormatWriters.Idx1(Labels)) })
                using (var s = zip.CreateEntry("gzip/" + EmnistReader.FileName(false, kind), CompressionLevel.NoCompression).Open())
                    s.Write(FormatWriters.Gzip(data));
        return ms.ToArray();
    }

    private static byte[] CifarTar() => FormatWriters.Tar([("cifar-10-batches-bin/test_batch.bin", FormatWriters.CifarRecords(0, 3, i => (byte)i)),
        ("cifar-10-batches-bin/batches.meta.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"u8.ToArray())]);

    private static byte[] DigitsCsv() => System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4).Select(i =>
        string.Join(",", Enumerable.Range(0, 64).Select(k => (i + k) % 17)) + $",{i}\n")));

    private static (string, byte[]?)[] ImageEntries(SKEncodedImageFormat format) =>
        [("train/", null), ("train/cat/", null), ($"train/cat/a.{format}", FormatWriters.Image(0, format, 16, 16)), ($"train/dog/b.{format}", FormatWriters.Image(1, format, 16, 16))];

    /// <summary>Decodes the image folder of <c>pets/train/cat/image</c>, packed and one image at a time.</summary>
    private static void DecodeFolder(string image)
    {
        PackedImageFolder.Decode(Path.GetFullPath(Path.Combine(image, "../../..")), "train", "pets").Dispose();
        ImageFolderDataset.Decode(image, new ImageBuffer());
    }

    private static void DecodeArchive(string archive) => PackedImageFolder.Decode(archive, "train", "pets").Dispose();

    // The cache of a fixed source: TryRead refusing the file (null) is its clear answer, the loader then decodes the images again.
    private const string CacheSource = "/nonexistent/pets", CacheKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly string CacheFile = Path.GetFileName(new ImageFolderCache("/").FilePath(CacheSource, "train", CacheKey));

    private static byte[] CacheBytes()
    {
        var dir = RealData.NewTempDir("dropact-mutation-valid");
        using var data = new ImageDataset("pets", torch.arange(2 * 3 * 4 * 4, dtype: ScalarType.Byte).reshape(2, 3, 4, 4), [0, 1], ["cat", "dog"]);
        var cache = new ImageFolderCache(dir);
        cache.Write(CacheSource, "train", CacheKey, data);
        return ReadAndDelete(dir, cache.FilePath(CacheSource, "train", CacheKey));
    }

    private static byte[] ReadAndDelete(string dir, string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(dir, file));
        Directory.Delete(dir, true);
        return bytes;
    }

    private static void ReadCache(string path)
    {
        using var data = new ImageFolderCache(Path.GetDirectoryName(path)!).TryRead(CacheSource, "train", CacheKey, "pets")
            ?? throw new DataFormatException(path, "refused by the cache (the loader decodes the images again)");
    }

    private static nn.Module<Tensor, Tensor> Net()
    {
        torch.manual_seed(1);
        return nn.Sequential(("fc1", nn.Linear(6, 8)), ("bn", nn.BatchNorm1d(8)), ("act", nn.ReLU()), ("fc2", nn.Linear(8, 3)));
    }

    private static byte[] CheckpointBytes()
    {
        var dir = RealData.NewTempDir("dropact-mutation-valid");
        using var net = Net();
        var header = new CheckpointHeader
        {
            Options = new TrainOptions { Model = "simple-cnn", Dataset = "mnist", Activation = "dropact", Epochs = 4, BatchSize = 8, LearningRate = 0.1 },
            NumClasses = 10, InChannels = 1, ImageSize = 28, Epoch = 2, BestTestError = 0.25, BestEpoch = 1,
        };
        CheckpointFile.Save(Path.Combine(dir, "last.dact"), header, net.state_dict(), new Dictionary<string, Tensor> { ["fc1.weight"] = torch.ones(8, 6) }, torch.random.get_rng_state());
        return ReadAndDelete(dir, "last.dact");
    }

    private static byte[] WeightBytes(WeightFormat format)
    {
        var dir = RealData.NewTempDir("dropact-mutation-valid");
        using var net = Net();
        PyTorchWeights.Save(net, Path.Combine(dir, "w"), format);
        return ReadAndDelete(dir, "w");
    }

    private static void LoadWeights(string path)
    {
        using var net = Net();
        PyTorchWeights.Load(net, path);
    }

    private static readonly byte[] SpecText = """
        // A mutated sweep spec: every field, both range forms.
        {
          "name": "mutated", "description": "p and seeds as ranges",
          "models": ["simple-cnn"], "datasets": ["mnist"], "activations": ["relu", "dropact"],
          "p": {"from": 0.9, "to": 0.95, "step": 0.05},
          "seeds": {"from": 1, "count": 2},
          "preset": {"simple-cnn": "cifar-resnet"},
          "overrides": {"epochs": 1, "batch-size": 64, "lr": 0.05, "train-subset": [512, 256]},
          "data": "/data", "out": "/out"
        }
        """u8.ToArray();

    // Last: the static fields above are initialised first.
    public static readonly MutationFormat[] All =
    [
        new("IDX images", "images-idx3-ubyte", Idx3, Fields.At(FieldKind.BigEndian, 4, 0, 4, 8, 12), p => IdxReader.ReadImages(p).Dispose()),
        new("IDX images .gz (inside)", "images-idx3-ubyte.gz", Idx3, Fields.At(FieldKind.BigEndian, 4, 0, 4, 8, 12), p => IdxReader.ReadImages(p, true).Dispose(), FormatWriters.Gzip),
        new("IDX images .gz (compressed bytes)", "images-idx3-ubyte.gz", () => FormatWriters.Gzip(Idx3()), Fields.Gzip, p => IdxReader.ReadImages(p).Dispose()),
        new("IDX labels", "labels-idx1-ubyte", () => FormatWriters.Idx1(Labels), Fields.At(FieldKind.BigEndian, 4, 0, 4), p => IdxReader.ReadLabels(p, 10)),
        new("IDX labels .gz (inside)", "labels-idx1-ubyte.gz", () => FormatWriters.Idx1(Labels), Fields.At(FieldKind.BigEndian, 4, 0, 4), p => IdxReader.ReadLabels(p, 10), FormatWriters.Gzip),
        new("EMNIST gzip.zip", "gzip.zip", EmnistZip, Fields.Zip, p => EmnistReader.ReadBalanced(p, train: false).Dispose()),
        new("CIFAR-10 binary batch", "cifar-10-batches-bin/test_batch.bin", () => FormatWriters.CifarRecords(0, 3, i => (byte)i),
            Fields.At(FieldKind.LittleEndian, 1, 0, 3073, 6146), p => CifarReader.ReadCifar10(Path.GetDirectoryName(p)!, train: false).Dispose()),
        new("CIFAR-100 binary batch", "cifar-100-binary/test.bin", () => FormatWriters.CifarRecords(0, 3, i => (byte)(90 + i), i => (byte)(17 + i)),
            Fields.At(FieldKind.LittleEndian, 1, 0, 1, 3074, 3075), p => CifarReader.ReadCifar100(Path.GetDirectoryName(p)!, train: false).Dispose()),
        new("CIFAR-10 .tar.gz (inside)", "cifar-10-binary.tar.gz", CifarTar, Fields.Tar, p => CifarReader.ReadCifar10(p, train: false).Dispose(), FormatWriters.Gzip),
        new("CIFAR-10 .tar.gz (compressed bytes)", "cifar-10-binary.tar.gz", () => FormatWriters.Gzip(CifarTar()), Fields.Gzip, p => CifarReader.ReadCifar10(p, train: false).Dispose()),
        new("SVHN .mat", "test_32x32.mat", () => FormatWriters.SvhnMat(3, i => i + 1, compress: false), Fields.Mat, p => SvhnMatReader.Read(p).Dispose()),
        new("SVHN .mat (compressed)", "test_32x32.mat", () => FormatWriters.SvhnMat(3, i => i + 1, compress: true), Fields.Mat, p => SvhnMatReader.Read(p).Dispose()),
        new("digits CSV", "digits.csv", DigitsCsv, b => Fields.Numbers(b), p => DigitsCsvReader.Read(p).Dispose()),
        new("PNG image folder", "pets/train/cat/a.png", () => FormatWriters.Image(0), Fields.Png, DecodeFolder),
        new("JPEG image folder", "pets/train/cat/a.jpg", () => FormatWriters.Image(0, SKEncodedImageFormat.Jpeg, 16, 16), Fields.Jpeg, DecodeFolder),
        new("PNG .tar", "pets-train.tar", () => FormatWriters.Tar(ImageEntries(SKEncodedImageFormat.Png)), Fields.Tar, DecodeArchive),
        new("JPEG .tar.gz (inside)", "pets-train.tar.gz", () => FormatWriters.Tar(ImageEntries(SKEncodedImageFormat.Jpeg)), Fields.Tar, DecodeArchive, FormatWriters.Gzip),
        new("JPEG .tar.gz (compressed bytes)", "pets-train.tar.gz", () => FormatWriters.Gzip(FormatWriters.Tar(ImageEntries(SKEncodedImageFormat.Jpeg))),
            Fields.Gzip, DecodeArchive),
        new("image-folder cache .u8img", CacheFile, CacheBytes, b => [new(8, 4, FieldKind.LittleEndian), .. Fields.Numbers(b, 12, 400)], ReadCache),
        new("checkpoint .dact", "last.dact", CheckpointBytes, Fields.Checkpoint, p => CheckpointFile.Load(p).Dispose()),
        new("PyTorch .pt", "w.pt", () => WeightBytes(WeightFormat.PyTorch), Fields.Zip, LoadWeights),
        new("safetensors", "w.safetensors", () => WeightBytes(WeightFormat.SafeTensors), Fields.Safetensors, LoadWeights),
        new("sweep spec JSON", "spec.json", () => SpecText, b => Fields.Numbers(b), p => SweepSpecReader.ReadFile(p)),
        new("preset JSON", "preset.json", () => File.ReadAllBytes(Path.Combine(RealData.RepoRoot, "presets", "cifar-resnet.json")), b => Fields.Numbers(b), p => PresetCatalog.Get(p)),
    ];
}
