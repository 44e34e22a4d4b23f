using System.Diagnostics;
using SkiaSharp;

namespace DropActivation.Data.Tests;

/// <summary>
/// Image folders and their archives read into a compact tensor (<see cref="PackedImageFolder"/>), the
/// cache beside them, and the registry's use of an image-folder copy (the real CIFAR-10 JPEG archives).
/// </summary>
public class ImageFolderArchiveTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = RealData.NewTempDir("dropact-imagefolder-tests");

    public void Dispose() => Directory.Delete(_dir, true);

    private string CacheDir => Path.Combine(_dir, "cache");

    /// <summary>A lossless 4×3 PNG whose pixels are a function of (image, channel, row, col).</summary>
    private static byte[] Png(int image, int width = 4, int height = 3) => FormatWriters.Image(image, SKEncodedImageFormat.Png, width, height);


    /// <summary>train/{cat,dog}/ with 3 and 2 images (image numbers 0..4), as a tar.gz.</summary>
    private static (string Name, byte[]? Data)[] SmallSplit(string split, int offset = 0) =>
    [
        ($"{split}/", null), ($"{split}/cat/", null), ($"{split}/dog/", null),
        ($"{split}/dog/b.png", Png(offset + 3)), ($"{split}/cat/a.png", Png(offset + 0)), ($"{split}/cat/b.png", Png(offset + 1)),
        ($"{split}/cat/c.png", Png(offset + 2)), ($"{split}/dog/a.png", Png(offset + 4)), ($"{split}/README.txt", "not an image"u8.ToArray()),
    ];

    private static void AssertImage(ImageDataset d, int index, int image)
    {
        var span = d.ImageSpan(index);
        for (int ch = 0; ch < 3; ch++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 4; x++)
                    Assert.Equal(FormatWriters.Pixel(image, ch, y, x), span[ch * 12 + y * 4 + x]);
    }

    [Fact]
    public void Archive_and_folder_give_the_same_sorted_images_and_labels()
    {
        var archive = Path.Combine(_dir, "pets-train.tar.gz");
        FormatWriters.Tar(archive, SmallSplit("train"));
        using var packed = PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir);
        Assert.Equal(["cat", "dog"], packed.ClassNames);
        Assert.Equal([5L, 3, 3, 4], packed.Images.shape);
        Assert.Equal([0L, 0, 0, 1, 1], packed.Labels);
        // Sorted by path: cat/a, cat/b, cat/c, dog/a, dog/b.
        int[] expected = [0, 1, 2, 4, 3];
        for (int i = 0; i < 5; i++) AssertImage(packed, i, expected[i]);

        var folder = Path.Combine(_dir, "pets");
        foreach (var (name, data) in SmallSplit("train"))
        {
            var p = Path.Combine(folder, name);
            if (data is null) Directory.CreateDirectory(p);
            else File.WriteAllBytes(p, data);
        }
        using var fromFolder = PackedImageFolder.Load(folder, "train", "pets/train", cacheDir: CacheDir);
        Assert.True(packed.Images.eq(fromFolder.Images).all().item<bool>());
        Assert.Equal(packed.Labels, fromFolder.Labels);
    }

    [Fact]
    public void Expected_classes_fix_the_label_order_and_must_match()
    {
        var archive = Path.Combine(_dir, "pets-train.tar");
        FormatWriters.Tar(archive, SmallSplit("train"));
        using var ordered = PackedImageFolder.Load(archive, "train", "pets/train", ["dog", "cat"], CacheDir);
        Assert.Equal(["dog", "cat"], ordered.ClassNames);
        Assert.Equal([1L, 1, 1, 0, 0], ordered.Labels);
        var e = Assert.Throws<DataFormatException>(() => PackedImageFolder.Load(archive, "train", "pets/train", ["cat", "dog", "bird"], CacheDir));
        Assert.Contains("missing: bird", e.Message);
    }

    [Fact]
    public void The_second_load_reads_the_cache_and_a_changed_archive_invalidates_it()
    {
        var archive = Path.Combine(_dir, "pets-train.tar.gz");
        FormatWriters.Tar(archive, SmallSplit("train"));
        using (var first = PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir))
            AssertImage(first, 0, 0);
        var cache = new ImageFolderCache(CacheDir);
        var key = ImageFolderCache.Key(archive, "train");
        var cacheFile = cache.FilePath(archive, "train", key);
        Assert.True(File.Exists(cacheFile));
        using (var hit = cache.TryRead(archive, "train", key, "pets/train"))
        {
            Assert.NotNull(hit);
            AssertImage(hit, 0, 0);
        }

        File.WriteAllText(cacheFile + ".stats.json", "{}"); // measured statistics of these images, as a folder data set stores them

        // The same archive rewritten with other images: the key changes and the images are decoded again.
        FormatWriters.Tar(archive, SmallSplit("train", offset: 10));
        var newKey = ImageFolderCache.Key(archive, "train");
        Assert.NotEqual(key, newKey);
        Assert.Null(cache.TryRead(archive, "train", newKey, "pets/train"));
        using (var second = PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir))
            AssertImage(second, 0, 10);
        Assert.False(File.Exists(cacheFile)); // the stale file is gone, and the statistics measured on its images with it
        Assert.False(File.Exists(cacheFile + ".stats.json"));
        Assert.Single(Directory.GetFiles(CacheDir));
    }

    [Fact]
    public void A_corrupt_jpeg_gives_one_error_naming_the_member()
    {
        var archive = Path.Combine(_dir, "pets-train.tar.gz");
        var entries = SmallSplit("train").ToList();
        entries.Add(("train/dog/broken.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03]));
        entries.Add(("train/cat/garbage.jpg", "this is not a JPEG file at all"u8.ToArray()));
        FormatWriters.Tar(archive, entries);
        var e = Assert.Throws<DataFormatException>(() => PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir));
        // The first bad member in sorted order is reported, once.
        Assert.Equal($"{archive}!train/cat/garbage.jpg", e.FilePath);
        Assert.Contains("cannot decode image", e.Message);
        Assert.False(Directory.Exists(CacheDir) && Directory.GetFiles(CacheDir).Length > 0);

        // A truncated JPEG (the first half of a real one) is named too.
        var jpeg = EncodeJpeg();
        FormatWriters.Tar(archive, [("train/cat/a.jpg", jpeg), ("train/cat/half.jpg", jpeg[..(jpeg.Length / 2)])]);
        var t = Assert.Throws<DataFormatException>(() => PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir));
        Assert.Equal($"{archive}!train/cat/half.jpg", t.FilePath);
        Assert.Matches("truncated|cannot decode", t.Message);

    }

    private static byte[] EncodeJpeg()
    {
        using var bmp = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                bmp.SetPixel(x, y, new SKColor((byte)(x * 8), (byte)(y * 8), (byte)(x * y), 255));
        using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    [Fact]
    public void An_empty_class_folder_gives_one_error_naming_it()
    {
        var archive = Path.Combine(_dir, "pets-train.tar.gz");
        var entries = SmallSplit("train").ToList();
        entries.Add(("train/bird/", null));
        FormatWriters.Tar(archive, entries);
        var e = Assert.Throws<DataFormatException>(() => PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir));
        Assert.Equal($"{archive}!train/bird/", e.FilePath);
        Assert.Contains("empty class folder", e.Message);

        var folder = Path.Combine(_dir, "pets");
        Directory.CreateDirectory(Path.Combine(folder, "train", "cat"));
        Directory.CreateDirectory(Path.Combine(folder, "train", "fish"));
        File.WriteAllBytes(Path.Combine(folder, "train", "cat", "a.png"), Png(0));
        File.WriteAllText(Path.Combine(folder, "train", "fish", "notes.txt"), "no images here");
        var f = Assert.Throws<DataFormatException>(() => PackedImageFolder.Load(folder, "train", "pets/train", cacheDir: CacheDir));
        Assert.Equal(Path.Combine(folder, "train", "fish"), f.FilePath);
    }

    [Fact]
    public void Images_of_another_size_are_named()
    {
        var archive = Path.Combine(_dir, "pets-train.tar");
        FormatWriters.Tar(archive, [("train/cat/a.png", Png(0)), ("train/cat/b.png", Png(1, width: 5))]);
        var e = Assert.Throws<DataFormatException>(() => PackedImageFolder.Load(archive, "train", "pets/train", cacheDir: CacheDir));
        Assert.Equal($"{archive}!train/cat/b.png", e.FilePath);
        Assert.Contains("5×3", e.Message);
    }

    [Fact]
    public void The_layout_finds_split_archives_folders_and_a_single_archive()
    {
        var a = Path.Combine(_dir, "a");
        Directory.CreateDirectory(a);
        File.WriteAllBytes(Path.Combine(a, "x-train.tar.gz"), []);
        File.WriteAllBytes(Path.Combine(a, "x_test.tgz"), []);
        Assert.Equal(Path.Combine(a, "x-train.tar.gz"), ImageFolderLayout.Find(a, "train"));
        Assert.Equal(Path.Combine(a, "x_test.tgz"), ImageFolderLayout.Find(a, "test"));
        Assert.Null(ImageFolderLayout.Find(a, "val"));
        var b = Path.Combine(_dir, "b");
        Directory.CreateDirectory(Path.Combine(b, "train"));
        File.WriteAllBytes(Path.Combine(b, "all.tar"), []);
        Assert.Equal(b, ImageFolderLayout.Find(b, "train"));
        Assert.Equal(Path.Combine(b, "all.tar"), ImageFolderLayout.Find(b, "val"));
    }

    [Fact]
    public void The_registry_uses_an_image_folder_copy_with_its_classes_and_says_where_it_looked()
    {
        var root = Path.Combine(_dir, "root");
        var copy = Path.Combine(root, "svhn-jpeg");
        Directory.CreateDirectory(copy);
        var digits = SvhnMatReader.Classes;
        FormatWriters.Tar(Path.Combine(copy, "svhn-jpeg-test.tar"), digits.Select((d, i) => ($"test/{d}/0.png", (byte[]?)Png(i))));
        using var test = (ImageDataset)DataSets.Load("svhn", root, "test");
        Assert.Equal(10, test.Count);
        Assert.Equal(digits, test.ClassNames);
        for (int i = 0; i < 10; i++) { Assert.Equal(i, test.Labels[i]); AssertImage(test, i, i); }
        var e = Assert.Throws<DataNotFoundException>(() => DataSets.Load("svhn", root, "train"));
        Assert.Contains(copy, e.Message);
    }

    [RealDataFact("cifar10-jpeg/cifar10-jpeg-train.tar.gz", "cifar10-jpeg/cifar10-jpeg-test.tar.gz")]
    public void The_real_cifar10_jpeg_archives_load_as_cifar10_with_its_statistics()
    {
        var archive = RealData.Path("cifar10-jpeg/cifar10-jpeg-test.tar.gz");
        var watch = Stopwatch.StartNew();
        using (var test = PackedImageFolder.Load(archive, "test", "cifar10/test", CifarReader.Cifar10Classes, CacheDir))
        {
            var decode = watch.Elapsed;
            Assert.Equal([10000L, 3, 32, 32], test.Images.shape);
            Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
            watch.Restart();
            using var again = PackedImageFolder.Load(archive, "test", "cifar10/test", CifarReader.Cifar10Classes, CacheDir);
            output.WriteLine($"10,000 test JPEGs: decoded in {decode.TotalSeconds:0.00} s, read from the cache in {watch.Elapsed.TotalSeconds:0.00} s");
            Assert.True(test.Images.eq(again.Images).all().item<bool>());
        }

        // Through the registry: data root ../shared/data, folder cifar10-jpeg/, the default cache.
        watch.Restart();
        using var train = (ImageDataset)DataSets.Load("cifar10", RealData.Root, "train");
        output.WriteLine($"50,000 training images via the registry: {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal([50000L, 3, 32, 32], train.Images.shape);
        Assert.Equal(CifarReader.Cifar10Classes, train.ClassNames);
        Assert.All(train.ClassCounts(), c => Assert.Equal(5000, c));
        // The JPEG re-encoding keeps CIFAR-10's statistics within a few thousandths of the registry's values.
        var stats = DataStatistics.Compute(train);
        var info = DataSets.Get("cifar10");
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(info.Mean[c], stats.ChannelMean[c], 2);
            Assert.Equal(info.Std[c], stats.ChannelStd[c], 2);
        }
    }

    [Fact]
    public void A_folder_data_set_of_unknown_classes_gets_its_measured_statistics_stored()
    {
        var dir = Path.Combine(_dir, "pets");
        Directory.CreateDirectory(dir);
        FormatWriters.Tar(Path.Combine(dir, "pets-train.tar.gz"), SmallSplit("train"));
        FormatWriters.Tar(Path.Combine(dir, "pets-val.tar"), SmallSplit("val", offset: 20));
        var info = DataSets.Get("folder:" + dir);
        Assert.Equal("folder:" + dir, info.Name);
        Assert.Equal((2, (3, (int?)3, (int?)4)), (info.NumClasses, info.Shape));
        Assert.Equal(["train", "val"], info.Splits);
        Assert.Null(info.Recipe);
        Assert.Equal("folder-pets", DataSets.FileLabel(info.Name)); // run folders and contact sheets are named without the path's slashes
        Assert.Equal("cifar10", DataSets.FileLabel("cifar10"));
        // Mean of channel c over the five training images, straight from the pixel formula.
        for (int c = 0; c < 3; c++)
        {
            double sum = 0;
            for (int i = 0; i < 5; i++) for (int y = 0; y < 3; y++) for (int x = 0; x < 4; x++) sum += FormatWriters.Pixel(i, c, y, x);
            Assert.Equal(sum / 60 / 255, info.Mean[c], 4);
        }
        Assert.Contains("stored in", info.StatsSource);
        var stored = info.StatsSource[(info.StatsSource.IndexOf("stored in ", StringComparison.Ordinal) + 10)..];
        Assert.True(File.Exists(stored), stored);
        Assert.DoesNotContain("RandomCrop", Augmentation.Augmentations.Train(info).ToString());
        using var val = (ImageDataset)DataSets.Load(info.Name, _dir, "val");
        Assert.Equal(5, val.Count);
        AssertImage(val, 0, 20);
        File.Delete(stored);
        File.Delete(stored[..^".stats.json".Length]);

        Assert.Throws<DataNotFoundException>(() => DataSets.Get("folder:" + Path.Combine(_dir, "nothing-here")));
    }

    [RealDataFact("cifar10-jpeg/cifar10-jpeg-train.tar.gz", "cifar10-jpeg/cifar10-jpeg-test.tar.gz")]
    public void A_folder_data_set_with_cifar10s_classes_is_treated_as_cifar10()
    {
        var info = DataSets.Get("folder:" + RealData.Path("cifar10-jpeg"));
        var cifar = DataSets.Get("cifar10");
        Assert.Equal(("cifar10", 10), (info.Recipe, info.NumClasses));
        Assert.Equal(cifar.Mean, info.Mean);
        Assert.Equal(cifar.Std, info.Std);
        Assert.Contains("RandomCrop", Augmentation.Augmentations.Train(info).ToString());
        using var test = (ImageDataset)DataSets.Load(info.Name, RealData.Root, "test");
        Assert.Equal(CifarReader.Cifar10Classes, test.ClassNames);
        Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
    }
}
