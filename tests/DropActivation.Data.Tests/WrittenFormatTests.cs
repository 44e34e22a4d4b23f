namespace DropActivation.Data.Tests;

/// <summary>Small files written byte for byte in the genuine layouts decode to exactly what was written.</summary>
public class WrittenFormatTests : IDisposable
{
    private readonly string _dir = RealData.NewTempDir("dropact-data-tests");

    public void Dispose() => Directory.Delete(_dir, true);

    private static void AssertCifarPixels(ImageDataset ds, int firstImage = 0)
    {
        for (int i = 0; i < ds.Count; i++)
        {
            var img = ds.ImageSpan(i);
            for (int ch = 0; ch < 3; ch++)
                for (int r = 0; r < 32; r += 5)
                    for (int c = 0; c < 32; c += 3)
                        Assert.Equal(FormatWriters.Pixel(firstImage + i, ch, r, c), img[ch * 1024 + r * 32 + c]);
        }
    }

    [Fact]
    public void Cifar10_binary_folder_and_archive_decode_labels_and_planar_rgb()
    {
        var folder = Path.Combine(_dir, "cifar10", "cifar-10-batches-bin");
        Directory.CreateDirectory(folder);
        var entries = new List<(string, byte[])>();
        for (int b = 0; b < 5; b++)
        {
            var data = FormatWriters.CifarRecords(b * 3, 3, i => (byte)(i % 10));
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{b + 1}.bin"), data);
            entries.Add(($"cifar-10-batches-bin/data_batch_{b + 1}.bin", data));
        }
        var testData = FormatWriters.CifarRecords(100, 4, i => (byte)(9 - i % 10));
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), testData);
        entries.Add(("cifar-10-batches-bin/test_batch.bin", testData));
        entries.Add(("cifar-10-batches-bin/batches.meta.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n"u8.ToArray()));

        using var train = (ImageDataset)DataSets.Load("cifar10", _dir, "train");
        Assert.Equal(15, train.Count);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)(i % 10)), train.Labels);
        Assert.Equal([15L, 3, 32, 32], train.Images.shape);
        AssertCifarPixels(train);
        Assert.Equal("airplane", train.ClassNames[0]);

        var archive = Path.Combine(_dir, "cifar-10-binary.tar.gz");
        FormatWriters.Tar(archive, entries);
        using var test = CifarReader.ReadCifar10(archive, train: false);
        Assert.Equal(4, test.Count);
        Assert.Equal(new long[] { 9, 8, 7, 6 }, test.Labels);
        AssertCifarPixels(test, 100);
        Assert.Equal("j", test.ClassNames[9]);
    }

    [Fact]
    public void Cifar100_binary_reads_fine_labels_and_keeps_coarse_ones()
    {
        var folder = Path.Combine(_dir, "cifar-100-binary");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train.bin"), FormatWriters.CifarRecords(0, 6, i => (byte)(i * 17 % 100), i => (byte)(i * 3 % 20)));
        File.WriteAllText(Path.Combine(folder, "fine_label_names.txt"), string.Join("\n", Enumerable.Range(0, 100).Select(i => $"fine{i}")));
        using var ds = CifarReader.ReadCifar100(folder, train: true);
        Assert.Equal(6, ds.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)(i * 17 % 100)), ds.Labels);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)(i * 3 % 20)), ds.CoarseLabels!);
        Assert.Equal(100, ds.ClassNames.Count);
        Assert.Equal("fine17", ds.ClassNames[17]);
        Assert.Equal(20, ds.CoarseClassNames!.Count);
        AssertCifarPixels(ds);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Svhn_mat_turns_column_major_X_upright_and_maps_label_10_to_0(bool compress, bool yAsUInt8)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "svhn"));
        File.WriteAllBytes(Path.Combine(_dir, "svhn", "test_32x32.mat"), FormatWriters.SvhnMat(5, i => i * 3 % 10 + 1, compress, yAsUInt8));
        using var ds = (ImageDataset)DataSets.Load("svhn", _dir, "test");
        Assert.Equal(5, ds.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)((i * 3 % 10 + 1) % 10)), ds.Labels);
        Assert.Contains(0L, ds.Labels); // label 10 in the file
        AssertCifarPixels(ds);
    }

    [Fact]
    public void Svhn_train_plus_extra_concatenates()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "svhn"));
        File.WriteAllBytes(Path.Combine(_dir, "svhn", "train_32x32.mat"), FormatWriters.SvhnMat(3, i => 1, true));
        File.WriteAllBytes(Path.Combine(_dir, "svhn", "extra_32x32.mat"), FormatWriters.SvhnMat(4, i => 2, true));
        var ds = DataSets.Load("svhn", _dir, "train+extra");
        Assert.Equal(7, ds.Count);
        Assert.Equal(1, ds.GetLabel(2));
        Assert.Equal(2, ds.GetLabel(3));
    }

    private static void WriteEmnist(string dir, int n, bool train)
    {
        File.WriteAllBytes(Path.Combine(dir, EmnistReader.FileName(train, "images-idx3")),
            FormatWriters.Gzip(FormatWriters.Idx3(n, 28, 28, (i, r, c) => FormatWriters.Pixel(i, 0, r, c), transposed: true)));
        File.WriteAllBytes(Path.Combine(dir, EmnistReader.FileName(train, "labels-idx1")),
            FormatWriters.Gzip(FormatWriters.Idx1(Enumerable.Range(0, n).Select(i => (byte)(i * 11 % 47)).ToArray())));
    }

    private static void AssertEmnist(ImageDataset ds, int n)
    {
        Assert.Equal(n, ds.Count);
        Assert.Equal(47, ds.ClassNames.Count);
        Assert.Equal("t", ds.ClassNames[46]);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)(i * 11 % 47)), ds.Labels);
        for (int i = 0; i < n; i++)
        {
            var img = ds.ImageSpan(i);
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                    Assert.Equal(FormatWriters.Pixel(i, 0, r, c), img[r * 28 + c]);
        }
    }

    [Fact]
    public void Emnist_gzip_files_and_zip_decode_upright()
    {
        var dir = Path.Combine(_dir, "emnist");
        Directory.CreateDirectory(dir);
        WriteEmnist(dir, 4, train: true);
        using (var ds = (ImageDataset)DataSets.Load("emnist-balanced", _dir, "train")) AssertEmnist(ds, 4);

        var zipDir = Path.Combine(_dir, "zipped");
        var staging = Path.Combine(_dir, "staging", "gzip");
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(zipDir);
        WriteEmnist(staging, 3, train: false);
        ZipFile.CreateFromDirectory(Path.Combine(_dir, "staging"), Path.Combine(zipDir, "gzip.zip"));
        using var fromZip = EmnistReader.ReadBalanced(zipDir, train: false);
        AssertEmnist(fromZip, 3);
    }

    [Fact]
    public void Idx_reads_raw_and_gzip_alike()
    {
        var raw = FormatWriters.Idx3(2, 3, 4, (i, r, c) => (byte)(i * 100 + r * 10 + c));
        File.WriteAllBytes(Path.Combine(_dir, "raw"), raw);
        File.WriteAllBytes(Path.Combine(_dir, "raw.gz"), FormatWriters.Gzip(raw));
        using var a = IdxReader.ReadImages(Path.Combine(_dir, "raw"));
        using var b = IdxReader.ReadImages(Path.Combine(_dir, "raw.gz"));
        Assert.Equal([2L, 1, 3, 4], a.shape);
        Assert.Equal(a.data<byte>().ToArray(), b.data<byte>().ToArray());
        Assert.Equal(123, a[1, 0, 2, 3].item<byte>());
    }
}
