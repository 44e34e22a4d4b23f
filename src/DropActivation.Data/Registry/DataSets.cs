using DropActivation.Data.Augmentation;
using DropActivation.Data.Readers;

namespace DropActivation.Data.Registry;

/// <summary>
/// The registry of named data sets. <see cref="Load"/> reads one split from
/// <c>ROOT/&lt;folder&gt;/</c>; it never downloads — a missing file ends in a
/// <see cref="DataNotFoundException"/> saying what to put where (or to run <c>dropact data fetch</c>).
/// A data set with <see cref="DataSetInfo.ImageFolderClasses"/> may instead come as an image folder
/// (<see cref="ImageFolderLayout"/>) in <c>ROOT/&lt;folder&gt;/</c> or <c>ROOT/&lt;folder&gt;-jpeg/</c>, e.g. the
/// CIFAR-10 JPEG archives <c>cifar10-jpeg/cifar10-jpeg-{train,test}.tar.gz</c>: it is used when the
/// data set's own files are absent, decoded once into a compact uint8 tensor and cached
/// (<see cref="ImageFolderCache"/>); its class folders must be the data set's classes.
/// Checksums: MNIST, Fashion-MNIST, CIFAR, SVHN and EMNIST use the publishers' MD5s as recorded by
/// torchvision; the UCI digits files have no published checksum and are validated by parsing.
/// </summary>
public static class DataSets
{
    private const string MnistUrl1 = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private const string MnistUrl2 = "http://yann.lecun.com/exdb/mnist/";
    private const string FashionUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    private static readonly string[] Digits10 = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    private static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly Dictionary<string, DataSetInfo> Registry = Build().Select(d => d with { Recipe = d.Name })
        .ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The prefix of a data set given as a path: <c>folder:PATH</c> (see <see cref="FolderDataSets"/>).</summary>
    public const string FolderPrefix = "folder:";

    /// <summary>
    /// A data set's name as it may stand in a file or folder name: the name itself for a registry data set,
    /// <c>folder-LEAF</c> (the folder's last component) for a <c>folder:PATH</c> data set, whose name holds slashes.
    /// </summary>
    public static string FileLabel(string name) =>
        name.StartsWith(FolderPrefix, StringComparison.OrdinalIgnoreCase)
            ? "folder-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(name[FolderPrefix.Length..]))
            : name;

    /// <summary>All registered data sets.</summary>
    public static IReadOnlyList<DataSetInfo> All => Registry.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The data set called <paramref name="name"/>, or the image-folder data set <c>folder:PATH</c>
    /// (<see cref="FolderDataSets.Describe"/>); throws <see cref="ArgumentException"/> listing the known names otherwise.
    /// </summary>
    /// <exception cref="DataNotFoundException">A <c>folder:</c> path that holds no training split.</exception>
    public static DataSetInfo Get(string name) =>
        name.StartsWith(FolderPrefix, StringComparison.OrdinalIgnoreCase) ? FolderDataSets.Describe(name[FolderPrefix.Length..])
        : Registry.TryGetValue(name, out var info) ? info
        : throw new ArgumentException($"unknown data set '{name}'; known: {string.Join(", ", All.Select(d => d.Name))}, or folder:PATH (an image folder or its archives)", nameof(name));

    /// <summary>
    /// Loads split <paramref name="split"/> (see <see cref="DataSetInfo.Splits"/>) of data set
    /// <paramref name="name"/> from under <paramref name="root"/> (a <c>folder:PATH</c> data set from its own
    /// path). In-memory formats and image-folder copies return an <see cref="ImageDataset"/>, ImageNet's
    /// folders an <see cref="ImageFolderDataset"/>.
    /// </summary>
    public static IDataSource Load(string name, string root, string split)
    {
        var info = Get(name);
        if (!info.Splits.Contains(split, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"data set '{info.Name}' has no split '{split}'; splits: {string.Join(", ", info.Splits)}", nameof(split));
        if (info.Name.StartsWith(FolderPrefix, StringComparison.Ordinal)) return info.Loader(info.Folder, split.ToLowerInvariant()); // not under the root
        if (!System.IO.Directory.Exists(root))
            throw new DataNotFoundException($"{root}: data root folder not found", root);
        var dir = info.Directory(root);
        try
        {
            return info.Loader(dir, split.ToLowerInvariant());
        }
        catch (DataNotFoundException e)
        {
            if (LoadImageFolderCopy(info, root, split.ToLowerInvariant()) is { } copy) return copy;
            var folders = info.ImageFolderClasses is null ? ""
                : $" It may also come as an image folder in {string.Join(" or ", info.ImageFolderDirectories(root))}: {ImageFolderLayout.Description}.";
            throw new DataNotFoundException($"{e.Message}. {info.Title} is expected under {dir}: {info.Layout}.{folders} " +
                (info.Files.Count > 0 ? $"Run 'dropact data fetch {info.Name} --root {root}' to download it." : info.ManualInstructions), e.FileName);
        }
    }

    /// <summary>
    /// Where the image-folder copy of <paramref name="split"/> lies under <paramref name="root"/>
    /// (a folder or an archive), or null when there is none (see <see cref="DataSetInfo.ImageFolderDirectories"/>).
    /// </summary>
    public static string? FindImageFolderCopy(DataSetInfo info, string root, string split) =>
        info.ImageFolderClasses is null ? null
        : info.ImageFolderDirectories(root).Select(d => ImageFolderLayout.Find(d, split)).FirstOrDefault(s => s is not null);

    private static IDataSource? LoadImageFolderCopy(DataSetInfo info, string root, string split)
    {
        var parts = split.Split('+');
        var sources = parts.Select(s => FindImageFolderCopy(info, root, s)).ToArray();
        if (sources.Any(s => s is null)) return null;
        var loaded = new List<ImageDataset>();
        try
        {
            for (int i = 0; i < parts.Length; i++)
                loaded.Add(PackedImageFolder.Load(sources[i]!, parts[i], $"{info.Name}/{parts[i]}", info.ImageFolderClasses));
        }
        catch
        {
            foreach (var d in loaded) d.Dispose();
            throw;
        }
        return loaded.Count == 1 ? loaded[0] : new ConcatSource($"{info.Name}/{split}", loaded.ToArray());
    }

    private static string FindFile(string dir, string fileName)
    {
        foreach (var candidate in new[] { fileName, fileName.EndsWith(".gz") ? fileName[..^3] : fileName + ".gz" })
        {
            var p = Path.Combine(dir, candidate);
            if (File.Exists(p)) return p;
        }
        throw new DataNotFoundException($"{Path.Combine(dir, fileName)}: file not found", Path.Combine(dir, fileName));
    }

    /// <summary>
    /// A 28×28 grey data set of ten classes in MNIST's four IDX files (train-* and t10k-*), downloaded from
    /// <paramref name="baseUrls"/> and checked against <paramref name="md5s"/> in that order.
    /// </summary>
    private static DataSetInfo Idx(string name, string title, float mean, float std, string[] baseUrls, IReadOnlyList<string> classes, params string[] md5s)
    {
        string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
        return new DataSetInfo
        {
            Name = name, Title = title, Folder = name, NumClasses = 10, Shape = (1, 28, 28),
            Mean = [mean], Std = [std], StatsSource = $"{title} training set (60,000 images)",
            Splits = ["train", "test"],
            Files = files.Select((f, i) => new RemoteFile(f, baseUrls.Select(u => u + f).ToArray(), md5s[i])).ToArray(),
            Layout = "{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]",
            Loader = (dir, split) =>
            {
                string prefix = split == "train" ? "train" : "t10k";
                return IdxReader.ReadDataset($"{name}/{split}", FindFile(dir, $"{prefix}-images-idx3-ubyte.gz"),
                    FindFile(dir, $"{prefix}-labels-idx1-ubyte.gz"), classes);
            },
        };
    }

    private static string CifarLocation(string dir, string folder, string archive)
    {
        var f = Path.Combine(dir, folder);
        if (System.IO.Directory.Exists(f)) return f;
        var a = Path.Combine(dir, archive);
        if (File.Exists(a)) return a;
        throw new DataNotFoundException($"{dir}: holds neither the folder {folder}/ nor {archive}", dir);
    }

    private static IEnumerable<DataSetInfo> Build()
    {
        yield return Idx("mnist", "MNIST", 0.1307f, 0.3081f, [MnistUrl1, MnistUrl2], Digits10,
            "f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432", "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c");
        yield return Idx("fashion-mnist", "Fashion-MNIST", 0.2860f, 0.3530f, [FashionUrl], FashionClasses,
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310");
        yield return new DataSetInfo
        {
            Name = "emnist-balanced", Title = "EMNIST Balanced", Folder = "emnist", NumClasses = 47, Shape = (1, 28, 28),
            Mean = [0.1751f], Std = [0.3332f], StatsSource = "EMNIST Balanced training set, as commonly quoted",
            Splits = ["train", "test"],
            Files = [new RemoteFile("gzip.zip", ["https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"], "58c8d27c78d21e728a6bc7b3cc06412e")],
            Layout = "gzip.zip from NIST, or its emnist-balanced-{train,test}-{images-idx3,labels-idx1}-ubyte.gz (optionally in gzip/)",
            Loader = (dir, split) => EmnistReader.ReadBalanced(dir, split == "train"),
        };
        yield return new DataSetInfo
        {
            Name = "cifar10", Title = "CIFAR-10 (binary version)", Folder = "cifar10", NumClasses = 10, Shape = (3, 32, 32),
            Mean = [125.3f / 255, 123.0f / 255, 113.9f / 255], Std = [63.0f / 255, 62.1f / 255, 66.7f / 255],
            StatsSource = "CIFAR-10 training set, as used by the Cutout paper's code (DeVries & Taylor 2017)",
            Splits = ["train", "test"],
            Files = [new RemoteFile("cifar-10-binary.tar.gz", ["https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"], "c32a1d4ab5d03f1284b67883e8d87530")],
            Layout = "cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin, or cifar-10-binary.tar.gz",
            ImageFolderClasses = CifarReader.Cifar10Classes, Augment = AugmentRecipe.Cifar(cutoutLength: 16),
            Loader = (dir, split) => CifarReader.ReadCifar10(CifarLocation(dir, "cifar-10-batches-bin", "cifar-10-binary.tar.gz"), split == "train"),
        };
        yield return new DataSetInfo
        {
            Name = "cifar100", Title = "CIFAR-100 (binary version)", Folder = "cifar100", NumClasses = 100, Shape = (3, 32, 32),
            Mean = [129.3f / 255, 124.1f / 255, 112.4f / 255], Std = [68.2f / 255, 65.4f / 255, 70.4f / 255],
            StatsSource = "CIFAR-100 training set, as used by the Cutout paper's code",
            Splits = ["train", "test"],
            Files = [new RemoteFile("cifar-100-binary.tar.gz", ["https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"], "03b5dce01913d631647c71ecec9e9cb8")],
            Layout = "cifar-100-binary/{train,test}.bin, or cifar-100-binary.tar.gz", Augment = AugmentRecipe.Cifar(cutoutLength: 8),
            Loader = (dir, split) => CifarReader.ReadCifar100(CifarLocation(dir, "cifar-100-binary", "cifar-100-binary.tar.gz"), split == "train"),
        };
        yield return new DataSetInfo
        {
            Name = "svhn", Title = "SVHN (format 2, 32×32)", Folder = "svhn", NumClasses = 10, Shape = (3, 32, 32),
            Mean = [109.9f / 255, 109.7f / 255, 113.8f / 255], Std = [50.1f / 255, 50.6f / 255, 50.8f / 255],
            StatsSource = "SVHN train+extra, as used by the Cutout paper's code",
            Splits = ["train", "test", "extra", "train+extra"],
            Files =
            [
                new RemoteFile("train_32x32.mat", ["http://ufldl.stanford.edu/housenumbers/train_32x32.mat"], "e26dedcc434d2e4c54c9b2d4a06d8373"),
                new RemoteFile("test_32x32.mat", ["http://ufldl.stanford.edu/housenumbers/test_32x32.mat"], "eb5a983be6a315427106f1b164d9cef3"),
                new RemoteFile("extra_32x32.mat", ["http://ufldl.stanford.edu/housenumbers/extra_32x32.mat"], "a93ce644f1a588dc4d68dda5feec44a7"),
            ],
            Layout = "{train,test,extra}_32x32.mat",
            ImageFolderClasses = SvhnMatReader.Classes,
            // The paper (Appendix 8.2, following Wide ResNet) only rescales SVHN to [0, 1]; no crop or flip.
            Augment = new(CutoutLength: 20, AutoAugment: AutoAugmentPolicy.Svhn, UnitRange: true),
            Loader = (dir, split) => split == "train+extra"
                ? new ConcatSource("svhn/train+extra", SvhnMatReader.Read(FindFile(dir, "train_32x32.mat"), "svhn/train"), SvhnMatReader.Read(FindFile(dir, "extra_32x32.mat"), "svhn/extra"))
                : SvhnMatReader.Read(FindFile(dir, $"{split}_32x32.mat"), $"svhn/{split}"),
        };
        yield return new DataSetInfo
        {
            Name = "digits", Title = "UCI optical digits (8×8, values 0..16)", Folder = "digits", NumClasses = 10, Shape = (1, 8, 8),
            Mean = [0.3053f], Std = [0.3760f], StatsSource = "the 1,797 images of scikit-learn's digits (= UCI optdigits.tes), values / 16",
            Splits = ["train", "test"],
            Files =
            [
                new RemoteFile("optdigits.tra", ["https://archive.ics.uci.edu/ml/machine-learning-databases/optdigits/optdigits.tra"], null)
                    { Validate = p => ExpectRows(p, 3823) },
                new RemoteFile("optdigits.tes", ["https://archive.ics.uci.edu/ml/machine-learning-databases/optdigits/optdigits.tes"], null)
                    { Validate = p => ExpectRows(p, 1797) },
            ],
            Layout = "optdigits.tra and optdigits.tes (UCI), or digits.csv[.gz] (scikit-learn's copy of optdigits.tes) for the test split",
            Loader = (dir, split) => split == "train"
                ? DigitsCsvReader.Read(FindFile(dir, "optdigits.tra"), "digits/train")
                : DigitsCsvReader.Read(File.Exists(Path.Combine(dir, "optdigits.tes")) ? Path.Combine(dir, "optdigits.tes") : FindFile(dir, "digits.csv.gz"), "digits/test"),
        };
        yield return new DataSetInfo
        {
            Name = "imagenet", Title = "ImageNet 2012 (ILSVRC) as image folders", Folder = "imagenet", NumClasses = 1000, Shape = (3, null, null),
            Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f], StatsSource = "ImageNet training set, as used by torchvision",
            Splits = ["train", "val"],
            Files = [],
            Layout = "train/<wnid>/*.JPEG and val/<wnid>/*.JPEG (one subfolder per class)",
            Augment = new(() => [new RandomResizedCrop(224), new RandomHorizontalFlip()], () => [new ResizeCenterCrop(256, 224)]),
            ManualInstructions = "ImageNet needs a registered account: download ILSVRC2012_img_train.tar and ILSVRC2012_img_val.tar from https://image-net.org/ and unpack them into train/<wnid>/ and val/<wnid>/ (validation images sorted into class folders).",
            Loader = (dir, split) => ImageFolderDataset.Open(Path.Combine(dir, split), $"imagenet/{split}"),
        };
    }

    private static void ExpectRows(string path, int rows)
    {
        using var ds = DigitsCsvReader.Read(path);
        if (ds.Count != rows) throw new DataFormatException(path, $"holds {ds.Count} rows, expected {rows}");
    }
}
