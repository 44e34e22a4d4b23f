namespace DropActivation.Data.Tests;

/// <summary>Bad files and missing folders end in one clear error naming the file and the problem.</summary>
public class ErrorTests : IDisposable
{
    private readonly string _dir = RealData.NewTempDir("dropact-data-tests");

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, byte[] data)
    {
        var p = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllBytes(p, data);
        return p;
    }

    private static void AssertNames(Exception e, string path, string problem)
    {
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Idx_with_wrong_magic_is_named()
    {
        var bytes = FormatWriters.Idx3(2, 4, 4, (_, _, _) => 1);
        bytes[3] = 0x01;
        var p = Write("bad-magic", bytes);
        AssertNames(Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(p)), p, "wrong magic");
    }

    [Fact]
    public void Idx_truncated_raw_and_gzip_are_named()
    {
        var bytes = FormatWriters.Idx3(10, 8, 8, (i, r, c) => (byte)(i + r + c));
        var p = Write("short", bytes[..(bytes.Length - 100)]);
        AssertNames(Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(p)), p, "truncated");
        var gz = FormatWriters.Gzip(bytes);
        var q = Write("short.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(q));
        Assert.Contains(q, e.Message);
    }

    [Fact]
    public void Idx_with_extra_bytes_is_wrongly_sized()
    {
        var bytes = FormatWriters.Idx3(2, 4, 4, (_, _, _) => 1).Concat(new byte[7]).ToArray();
        var p = Write("long", bytes);
        AssertNames(Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(p)), p, "wrongly sized");
    }

    [Fact]
    public void Corrupt_gzip_is_named()
    {
        var gz = FormatWriters.Gzip(FormatWriters.Idx1(new byte[1000]));
        for (int i = 20; i < gz.Length - 10; i += 3) gz[i] ^= 0x5A;
        var p = Write("corrupt.gz", gz);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(p, 10));
        Assert.Contains(p, e.Message);
    }

    [Fact]
    public void Label_out_of_range_and_count_mismatch_are_named()
    {
        var labels = Write("labels", FormatWriters.Idx1([1, 2, 12]));
        AssertNames(Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(labels, 10)), labels, "label 12");
        var images = Write("images", FormatWriters.Idx3(2, 4, 4, (_, _, _) => 1));
        var ok = Write("labels3", FormatWriters.Idx1([1, 2, 3]));
        AssertNames(Assert.Throws<DataFormatException>(() => IdxReader.ReadDataset("x", images, ok, DigitsCsvReader.Classes)), images, "3 labels");
    }

    [Fact]
    public void Cifar_file_of_wrong_size_is_named()
    {
        var folder = Path.Combine(_dir, "cifar-10-batches-bin");
        for (int b = 1; b <= 5; b++) Write($"cifar-10-batches-bin/data_batch_{b}.bin", FormatWriters.CifarRecords(0, 2, _ => 1));
        var bad = Write("cifar-10-batches-bin/data_batch_3.bin", FormatWriters.CifarRecords(0, 2, _ => 1)[..5000]);
        AssertNames(Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10(folder, true)), bad, "wrongly sized");
    }

    [Fact]
    public void Cifar_missing_batch_and_truncated_archive_are_named()
    {
        var folder = Path.Combine(_dir, "cifar-10-batches-bin");
        Write("cifar-10-batches-bin/data_batch_1.bin", FormatWriters.CifarRecords(0, 2, _ => 1));
        var e = Assert.Throws<DataNotFoundException>(() => CifarReader.ReadCifar10(folder, true));
        Assert.Contains("data_batch_2.bin", e.Message);

        var archive = Path.Combine(_dir, "cifar-10-binary.tar.gz");
        FormatWriters.TarGz(archive, Enumerable.Range(1, 5).Select(b => ($"cifar-10-batches-bin/data_batch_{b}.bin", FormatWriters.CifarRecords(0, 50, _ => 1))));
        var whole = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, whole[..(whole.Length / 2)]);
        var t = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10(archive, true));
        Assert.Contains(archive, t.Message);
    }

    [Fact]
    public void Cifar100_label_out_of_range_is_named()
    {
        var p = Write("cifar-100-binary/test.bin", FormatWriters.CifarRecords(0, 2, _ => 150, _ => 1));
        AssertNames(Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar100(Path.GetDirectoryName(p)!, false)), p, "label 150");
    }

    [Fact]
    public void Svhn_mat_errors_name_the_file()
    {
        var good = FormatWriters.SvhnMat(3, i => 1, compress: true);
        var trunc = Write("trunc.mat", good[..(good.Length - 40)]);
        AssertNames(Assert.Throws<DataFormatException>(() => SvhnMatReader.Read(trunc)), trunc, "truncated");

        var magic = (byte[])good.Clone();
        magic[0] = (byte)'X';
        var m = Write("magic.mat", magic);
        AssertNames(Assert.Throws<DataFormatException>(() => SvhnMatReader.Read(m)), m, "wrong magic");

        var onlyX = new List<byte>(FormatWriters.MatHeader());
        onlyX.AddRange(FormatWriters.MatMatrix("X", FormatWriters.MxUInt8, [32, 32, 3, 1], FormatWriters.MiUInt8, new byte[3072]));
        var nx = Write("noy.mat", onlyX.ToArray());
        AssertNames(Assert.Throws<DataFormatException>(() => SvhnMatReader.Read(nx)), nx, "'y'");

        var wrongDims = new List<byte>(FormatWriters.MatHeader());
        wrongDims.AddRange(FormatWriters.MatMatrix("X", FormatWriters.MxUInt8, [28, 28, 1, 1], FormatWriters.MiUInt8, new byte[784]));
        var wd = Write("dims.mat", wrongDims.ToArray());
        AssertNames(Assert.Throws<DataFormatException>(() => SvhnMatReader.Read(wd)), wd, "32×32×3×N");

        var corrupt = (byte[])good.Clone();
        for (int i = 200; i < 400; i++) corrupt[i] ^= 0xA5;
        var c = Write("corrupt.mat", corrupt);
        Assert.Contains(c, Assert.Throws<DataFormatException>(() => SvhnMatReader.Read(c)).Message);
    }

    [Fact]
    public void Digits_csv_with_a_bad_row_names_the_line()
    {
        var p = Write("digits.csv", System.Text.Encoding.ASCII.GetBytes(
            string.Join(",", Enumerable.Repeat("1", 64)) + ",3\n" + string.Join(",", Enumerable.Repeat("1", 63)) + ",3\n"));
        AssertNames(Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(p)), p, "line 2");
        var q = Write("digits2.csv", System.Text.Encoding.ASCII.GetBytes(string.Join(",", Enumerable.Repeat("17", 64)) + ",3\n"));
        AssertNames(Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(q)), q, "outside 0..16");
    }

    [Fact]
    public void Missing_root_folder_and_files_say_what_to_put_where()
    {
        var e = Assert.Throws<DataNotFoundException>(() => DataSets.Load("mnist", Path.Combine(_dir, "nope"), "train"));
        Assert.Contains("nope", e.Message);
        var f = Assert.Throws<DataNotFoundException>(() => DataSets.Load("mnist", _dir, "train"));
        Assert.Contains("train-images-idx3-ubyte.gz", f.Message);
        Assert.Contains(Path.Combine(_dir, "mnist"), f.Message);
        Assert.Contains("dropact data fetch mnist", f.Message);
        var g = Assert.Throws<DataNotFoundException>(() => DataSets.Load("imagenet", _dir, "val"));
        Assert.Contains("image-net.org", g.Message);
        Assert.Throws<DataNotFoundException>(() => ImageFolderDataset.Open(Path.Combine(_dir, "none")));
        Directory.CreateDirectory(Path.Combine(_dir, "empty", "cat"));
        Assert.Contains("no .jpg", Assert.Throws<DataNotFoundException>(() => ImageFolderDataset.Open(Path.Combine(_dir, "empty"))).Message);
    }

    [Fact]
    public void Corrupt_jpeg_in_a_folder_surfaces_from_the_loader_naming_the_file()
    {
        var good = Path.Combine(_dir, "imgs", "a", "good.png");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        using (var bmp = new SkiaSharp.SKBitmap(8, 8))
        using (var img = SkiaSharp.SKImage.FromBitmap(bmp))
        using (var data = img.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(good, data.ToArray());
        var bad = Write("imgs/b/bad.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5]);
        var folder = ImageFolderDataset.Open(Path.Combine(_dir, "imgs"));
        using var loader = new DataLoader(folder, new AugmentPipeline([new ResizeCenterCrop(8, 8)], Normalization.UnitRange), 2, workers: 2);
        var e = Assert.Throws<DataFormatException>(() => { foreach (var b in loader.GetEpoch(0)) b.Dispose(); });
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public void Unknown_name_and_split_are_argument_errors()
    {
        Assert.Contains("cifar10", Assert.Throws<ArgumentException>(() => DataSets.Get("cifar11")).Message);
        Assert.Contains("train+extra", Assert.Throws<ArgumentException>(() => DataSets.Load("svhn", _dir, "valid")).Message);
    }
}
