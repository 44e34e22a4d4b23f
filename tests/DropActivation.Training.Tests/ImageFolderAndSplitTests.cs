using DropActivation.Data.Augmentation;
using DropActivation.Data.Tests;

namespace DropActivation.Training.Tests;

/// <summary>
/// Training on the real CIFAR-10 JPEG archives with <c>dropact train</c>, and the training-split
/// option: SVHN's train+extra (on small files written in the real MATLAB .mat format).
/// </summary>
public class ImageFolderAndSplitTests
{
    [RealDataFact("cifar10-jpeg/cifar10-jpeg-train.tar.gz", "cifar10-jpeg/cifar10-jpeg-test.tar.gz")]
    public void Dropact_train_runs_end_to_end_on_the_real_cifar10_jpeg_archives()
    {
        var dir = RealData.NewTempDir("dropact-training-tests");
        var (exit, output, err) = Run("train", "--model", "simple-cnn", "--dataset", "cifar10", "--data", RealData.Root, "--act", "dropact",
            "--epochs", "1", "--batch-size", "32", "--lr", "0.05", "--schedule", "constant", "--train-subset", "256", "--test-subset", "128",
            "--threads", "1", "--out", dir);
        Assert.True(exit == 0, err);
        Assert.Contains("final test error", output);
        var header = CheckpointFile.ReadHeader(new RunFolder(dir).Checkpoint);
        Assert.Equal((1, "cifar10", 10, 3, 32), (header.Epoch, header.Options.Dataset, header.NumClasses, header.InChannels, header.ImageSize));
        Assert.InRange(header.BestTestError!.Value, 0.0, 1.0);
    }

    internal static string SvhnRoot(int train, int extra, int test)
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        var dir = Path.Combine(root, "svhn");
        Directory.CreateDirectory(dir);
        // Labels 1..10 (10 is the digit 0), as in the real files; extra's are offset so the parts differ.
        File.WriteAllBytes(Path.Combine(dir, "train_32x32.mat"), FormatWriters.SvhnMat(train, i => i % 10 + 1, compress: false));
        File.WriteAllBytes(Path.Combine(dir, "extra_32x32.mat"), FormatWriters.SvhnMat(extra, i => (i + 3) % 10 + 1, compress: true));
        File.WriteAllBytes(Path.Combine(dir, "test_32x32.mat"), FormatWriters.SvhnMat(test, i => i % 10 + 1, compress: false));
        return root;
    }

    [Fact]
    public void The_svhn_presets_train_on_train_plus_extra_and_a_flag_can_choose_the_split()
    {
        foreach (var name in new[] { "svhn-wrn-16", "svhn-densenet100", "svhn-resnext29" })
            Assert.Equal("train+extra", PresetCatalog.Get(name).TrainSplit);
        var paper = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "wrn-16-8", Dataset = "svhn", Activation = "dropact", P = 0.95 });
        Assert.Equal(("svhn-wrn-16", "train+extra"), (paper.Preset, paper.TrainSplit));
        var plain = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "wrn-16-8", Dataset = "svhn", Activation = "dropact", P = 0.95, TrainSplit = "train" });
        Assert.Equal("train", plain.TrainSplit);
        // Without a preset the default is "train"; a split that is not a training split is refused, listing the valid ones.
        Assert.Equal("train", TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "svhn", Activation = "relu" }).TrainSplit);
        var e = Assert.Throws<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "svhn", Activation = "relu", TrainSplit = "test" }));
        Assert.Contains("train, extra, train+extra", e.Message);
        Assert.Throws<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10", Activation = "relu", TrainSplit = "train+extra" }));
    }

    [Fact]
    public void Train_plus_extra_concatenates_both_mat_files_in_order()
    {
        var root = SvhnRoot(train: 7, extra: 5, test: 3);
        using var data = RunData.Load("svhn", root, trainSplit: "train+extra");
        Assert.Equal((12, 3), (data.Train.Count, data.Test.Count));
        var expectedLabels = Enumerable.Range(0, 7).Select(i => (long)((i % 10 + 1) % 10))
            .Concat(Enumerable.Range(0, 5).Select(i => (long)(((i + 3) % 10 + 1) % 10)));
        Assert.Equal(expectedLabels, Enumerable.Range(0, 12).Select(i => data.Train.GetLabel(i)));
        // Image 8 of the concatenation is image 1 of extra_32x32.mat (stored column-major, read as C×H×W).
        var buffer = new ImageBuffer();
        data.Train.ReadImage(8, buffer);
        for (int ch = 0; ch < 3; ch++)
            for (int r = 0; r < 32; r++)
                for (int c = 0; c < 32; c++)
                    Assert.Equal(FormatWriters.Pixel(1, ch, r, c), buffer.Pixels[ch * 1024 + r * 32 + c]);
        using var trainOnly = RunData.Load("svhn", root);
        Assert.Equal(7, trainOnly.Train.Count);
        // The validation split is drawn from the chosen training split.
        using var held = RunData.Load("svhn", root, trainSplit: "train+extra", validationSplit: 0.25);
        Assert.Equal(12, held.Train.Count + held.Test.Count);
    }

    private sealed class StepCounter : ITrainingMonitor
    {
        public List<int> Steps { get; } = new();
        public void EpochStarted(int epoch, int epochs, int steps, double lr) => Steps.Add(steps);
        public void StepFinished(int epoch, int step, double loss) { }
        public void EpochFinished(Logging.EpochMetrics metrics, bool best) { }
        public void Info(string message) { }
    }

    [Fact]
    public void Training_on_train_plus_extra_steps_through_both_files_and_records_the_split()
    {
        var root = SvhnRoot(train: 40, extra: 24, test: 16);
        var dir = RealData.NewTempDir("dropact-training-tests");
        var options = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "svhn", Activation = "dropact", P = 0.95,
            Epochs = 1, BatchSize = 16, LearningRate = 0.01, Schedule = "constant", TrainSplit = "train+extra", Threads = 1 });
        var counter = new StepCounter();
        var summary = new Trainer(counter).Train(options, root, dir);
        Assert.True(summary.Finished);
        Assert.Equal([4], counter.Steps); // 64 images in batches of 16
        Assert.Equal("train+extra", CheckpointFile.ReadHeader(new RunFolder(dir).Checkpoint).Options.TrainSplit);

        // On the command line: --train-split reaches the options and is checked.
        var (exit, _, err) = Run("train", "--model", "simple-cnn", "--dataset", "svhn", "--data", root, "--train-split", "validation");
        Assert.Equal(2, exit);
        Assert.Contains("train, extra, train+extra", err);
    }

    private static byte[] Png32(int seed)
    {
        using var bmp = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(32, 32, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul));
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                bmp.SetPixel(x, y, new SkiaSharp.SKColor(FormatWriters.Pixel(seed, 0, y, x), FormatWriters.Pixel(seed, 1, y, x), FormatWriters.Pixel(seed, 2, y, x), 255));
        using var data = bmp.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public void Dropact_train_and_data_inspect_accept_a_folder_data_set()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        var data = Path.Combine(root, "shapes");
        foreach (var split in new[] { "train", "test" })
            foreach (var cls in new[] { "circle", "square", "star" })
            {
                Directory.CreateDirectory(Path.Combine(data, split, cls));
                for (int i = 0; i < (split == "train" ? 8 : 3); i++)
                    File.WriteAllBytes(Path.Combine(data, split, cls, $"{i}.png"), Png32(i + 10 * cls.Length));
            }
        var dir = Path.Combine(root, "run");
        // A folder data set names its own place: no --data (and no --root for inspect) needed.
        var (exit, output, err) = Run("train", "--model", "simple-cnn", "--dataset", "folder:" + data, "--act", "dropact",
            "--epochs", "1", "--batch-size", "8", "--lr", "0.01", "--schedule", "constant", "--threads", "1", "--out", dir);
        Assert.True(exit == 0, err);
        var header = CheckpointFile.ReadHeader(new RunFolder(dir).Checkpoint);
        Assert.Equal(("folder:" + data, 3, 3, 32), (header.Options.Dataset, header.NumClasses, header.InChannels, header.ImageSize));
        var (inspectExit, inspect, inspectErr) = Run("data", "inspect", "folder:" + data, "--sheet", Path.Combine(root, "sheet.png"));
        Assert.True(inspectExit == 0, inspectErr);
        Assert.Contains("train: 24 images, shape 3×32×32", inspect);
        Assert.Contains("per class: circle 8, square 8, star 8", inspect);
        var (noDataExit, _, noDataErr) = Run("train", "--model", "simple-cnn", "--dataset", "cifar10", "--out", dir + "-2");
        Assert.NotEqual(0, noDataExit);
        Assert.Contains("--data is required: the folder that holds cifar10/", noDataErr);
    }

    [Fact]
    public void A_corrupt_image_in_a_folder_data_set_ends_dropact_train_with_one_error_naming_it()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        var data = Path.Combine(root, "shapes");
        foreach (var split in new[] { "train", "test" })
            foreach (var cls in new[] { "circle", "square" })
            {
                Directory.CreateDirectory(Path.Combine(data, split, cls));
                File.WriteAllBytes(Path.Combine(data, split, cls, "0.png"), Png32(cls.Length));
            }
        var bad = Path.Combine(data, "train", "square", "1.jpg");
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        var (exit, _, err) = Run("train", "--model", "simple-cnn", "--dataset", "folder:" + data, "--data", root, "--epochs", "1", "--out", Path.Combine(root, "run"));
        Assert.Equal(1, exit);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith($"error: {bad}: cannot decode image", lines[0]);
    }
}
