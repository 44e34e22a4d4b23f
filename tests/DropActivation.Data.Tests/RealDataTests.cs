namespace DropActivation.Data.Tests;

public class RealDataTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output = output;
    private static readonly int[] MnistTrain = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    private static readonly int[] MnistTest = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    [RealDataFact("mnist/train-images-idx3-ubyte.gz", "mnist/train-labels-idx1-ubyte.gz", "mnist/t10k-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz")]
    public void Mnist_has_60000_and_10000_images_with_the_exact_label_histograms()
    {
        using var train = (ImageDataset)DataSets.Load("mnist", RealData.Root, "train");
        using var test = (ImageDataset)DataSets.Load("mnist", RealData.Root, "test");
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal([60000L, 1, 28, 28], train.Images.shape);
        Assert.Equal(MnistTrain, train.ClassCounts());
        Assert.Equal(MnistTest, test.ClassCounts());
        // The registry's mean/std are those of this training set.
        var stats = DataStatistics.Compute(train);
        var info = DataSets.Get("mnist");
        Assert.Equal(info.Mean[0], stats.ChannelMean[0], 3);
        Assert.Equal(info.Std[0], stats.ChannelStd[0], 3);
        // The first training image is a 5 whose centre row has ink.
        Assert.Equal(5, train.Labels[0]);
        Assert.Contains(train.ImageSpan(0).Slice(14 * 28, 28).ToArray(), v => v > 200);
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz")]
    public void Fashion_mnist_has_6000_and_1000_images_per_class()
    {
        using var train = (ImageDataset)DataSets.Load("fashion-mnist", RealData.Root, "train");
        using var test = (ImageDataset)DataSets.Load("fashion-mnist", RealData.Root, "test");
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.All(train.ClassCounts(), c => Assert.Equal(6000, c));
        Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        var stats = DataStatistics.Compute(train);
        Assert.Equal(DataSets.Get("fashion-mnist").Mean[0], stats.ChannelMean[0], 3);
        Assert.Equal(DataSets.Get("fashion-mnist").Std[0], stats.ChannelStd[0], 3);
    }

    [RealDataFact("digits/digits.csv.gz")]
    public void Digits_csv_has_1797_rows_of_8x8_values_0_to_16()
    {
        using var digits = (ImageDataset)DataSets.Load("digits", RealData.Root, "test");
        Assert.Equal(1797, digits.Count);
        Assert.Equal([1797L, 1, 8, 8], digits.Images.shape);
        Assert.Equal(16, digits.PixelMax);
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], digits.ClassCounts());
        Assert.Equal(16, (int)digits.Images.max().item<byte>());
        // First row of the file: 0,0,5,13,9,1,0,0 ... label 0.
        Assert.Equal(new byte[] { 0, 0, 5, 13, 9, 1, 0, 0 }, digits.ImageSpan(0)[..8].ToArray());
        Assert.Equal(0, digits.Labels[0]);
        var stats = DataStatistics.Compute(digits);
        Assert.Equal(DataSets.Get("digits").Mean[0], stats.ChannelMean[0], 3);
    }

    [RealDataFact("cifar10-jpeg/cifar10-jpeg-test.tar.gz")]
    public void Cifar10_jpeg_test_archive_reads_as_an_image_folder_of_10_classes_by_1000()
    {
        var dir = RealData.NewTempDir("dropact-data-tests");
        try
        {
            var ex = System.Diagnostics.Stopwatch.StartNew();
            using (var fs = File.OpenRead(RealData.Path("cifar10-jpeg/cifar10-jpeg-test.tar.gz")))
            using (var gz = new GZipStream(fs, CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gz, dir, overwriteFiles: true);
            var folder = ImageFolderDataset.Open(Path.Combine(dir, "test"));
            long extractMs = ex.ElapsedMilliseconds;
            Assert.Equal(10000, folder.Count);
            Assert.Equal(CifarReader.Cifar10Classes, folder.ClassNames);
            var counts = new int[10];
            for (int i = 0; i < folder.Count; i++) counts[folder.GetLabel(i)]++;
            Assert.All(counts, c => Assert.Equal(1000, c));

            var buffer = new ImageBuffer();
            folder.ReadImage(1234, buffer);
            Assert.Equal((3, 32, 32), (buffer.Channels, buffer.Height, buffer.Width));

            // Decode all 10,000 lazily and in parallel through the loader; channel means are CIFAR-10's.
            var info = DataSets.Get("cifar10");
            using var loader = new DataLoader(folder, new AugmentPipeline([new ResizeCenterCrop(32, 32)], Normalization.UnitRange), 1000, shuffle: true, seed: 3, workers: 2);
            var sums = new double[3];
            int seen = 0;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            foreach (var batch in loader.GetEpoch(0))
                using (batch)
                {
                    var m = batch.Images.mean([0L, 2L, 3L]).data<float>().ToArray();
                    for (int c = 0; c < 3; c++) sums[c] += m[c] * batch.Size;
                    seen += batch.Size;
                }
            sw.Stop();
            Assert.Equal(10000, seen);
            for (int c = 0; c < 3; c++) Assert.InRange(sums[c] / seen, info.Mean[c] - 0.02, info.Mean[c] + 0.02);
            _output.WriteLine($"extract {extractMs} ms, decode+load 10,000 JPEGs {sw.ElapsedMilliseconds} ms");
        }
        finally { Directory.Delete(dir, true); }
    }
}
