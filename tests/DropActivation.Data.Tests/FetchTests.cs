using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DropActivation.Data.Fetching;

namespace DropActivation.Data.Tests;

/// <summary>Downloads from a local HTTP server on 127.0.0.1 (there is no internet here).</summary>
public class FetchTests : IDisposable
{
    private readonly string _dir = RealData.NewTempDir("dropact-data-tests");
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new();
    private int _requests;
    private readonly string _base;

    public FetchTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _base = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_base);
        _listener.Start();
        _ = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            Interlocked.Increment(ref _requests);
            var name = ctx.Request.Url!.AbsolutePath.TrimStart('/');
            if (_files.TryGetValue(name, out var data))
            {
                ctx.Response.ContentLength64 = data.Length;
                await ctx.Response.OutputStream.WriteAsync(data);
            }
            else ctx.Response.StatusCode = 404;
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        Directory.Delete(_dir, true);
    }

    private static string Md5(byte[] b) => Convert.ToHexStringLower(MD5.HashData(b));

    private DataSetInfo Info(params RemoteFile[] files) => DataSets.Get("mnist") with { Name = "tiny", Title = "Tiny", Folder = "tiny", Files = files };

    [Fact]
    public async Task Downloads_verifies_renames_and_skips_present_files()
    {
        var a = new byte[3_000_000];
        new Random(1).NextBytes(a);
        var b = "hello"u8.ToArray();
        _files["a.bin"] = a; _files["b.bin"] = b;
        var info = Info(new RemoteFile("a.bin", [_base + "missing/a.bin", _base + "a.bin"], Md5(a)), new RemoteFile("b.bin", [_base + "b.bin"], Md5(b)));
        var reports = new List<DownloadProgress>();
        using var fetcher = new DataFetcher();
        var paths = await fetcher.FetchAsync(info, _dir, new SyncProgress(reports.Add));
        Assert.Equal(a, File.ReadAllBytes(paths[0]));
        Assert.Equal(b, File.ReadAllBytes(paths[1]));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "tiny"), "*.part"));
        Assert.Contains(reports, r => r.FileName == "a.bin" && r.State == DownloadState.Downloading && r.BytesDone > 0 && r.TotalBytes == a.Length);
        Assert.Contains(reports, r => r.FileName == "b.bin" && r.State == DownloadState.Done);
        int before = _requests;
        reports.Clear();
        await fetcher.FetchAsync(info, _dir, new SyncProgress(reports.Add));
        Assert.Equal(before, _requests);
        Assert.All(reports, r => Assert.Equal(DownloadState.AlreadyPresent, r.State));
    }

    [Fact]
    public async Task Checksum_mismatch_leaves_nothing_and_says_what_to_put_where()
    {
        _files["a.bin"] = [1, 2, 3];
        var info = Info(new RemoteFile("a.bin", [_base + "a.bin"], "00000000000000000000000000000000"));
        using var fetcher = new DataFetcher();
        var e = await Assert.ThrowsAsync<DataFetchException>(() => fetcher.FetchAsync(info, _dir));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(Path.Combine(_dir, "tiny"), e.Message);
        Assert.Contains("a.bin from " + _base + "a.bin", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "tiny")));
    }

    [Fact]
    public async Task Offline_gives_one_message_listing_the_files()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int dead = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var info = DataSets.Get("cifar10") with { Files = [new RemoteFile("cifar-10-binary.tar.gz", [$"http://127.0.0.1:{dead}/cifar-10-binary.tar.gz"], "c32a1d4ab5d03f1284b67883e8d87530")] };
        using var fetcher = new DataFetcher();
        var e = await Assert.ThrowsAsync<DataFetchException>(() => fetcher.FetchAsync(info, _dir));
        Assert.Contains("cifar-10-binary.tar.gz", e.Message);
        Assert.Contains(Path.Combine(_dir, "cifar10"), e.Message);
        Assert.Contains("no connection", e.Message);
        Assert.Contains("c32a1d4ab5d03f1284b67883e8d87530", e.Message);
        var manual = await Assert.ThrowsAsync<DataFetchException>(() => fetcher.FetchAsync(DataSets.Get("imagenet"), _dir));
        Assert.Contains("image-net.org", manual.Message);
    }

    [Fact]
    public async Task Files_without_a_checksum_are_validated_by_parsing()
    {
        _files["optdigits.tes"] = System.Text.Encoding.ASCII.GetBytes(string.Join(",", Enumerable.Repeat("3", 64)) + ",7\n");
        var info = Info(DataSets.Get("digits").Files[1] with { Urls = [_base + "optdigits.tes"] });
        using var fetcher = new DataFetcher();
        var e = await Assert.ThrowsAsync<DataFetchException>(() => fetcher.FetchAsync(info, _dir));
        Assert.Contains("expected 1797", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "tiny", "optdigits.tes")));
    }

    [Fact]
    public void Registry_lists_every_data_set_of_the_paper_with_checksums()
    {
        Assert.Equal(["cifar10", "cifar100", "digits", "emnist-balanced", "fashion-mnist", "imagenet", "mnist", "svhn"], DataSets.All.Select(d => d.Name));
        foreach (var d in DataSets.All)
        {
            Assert.Equal(d.Shape.Channels, d.Mean.Length);
            Assert.Equal(d.Shape.Channels, d.Std.Length);
            Assert.All(d.Files, f => Assert.True(f.Md5 is { Length: 32 } || f.Validate is not null, $"{d.Name}/{f.FileName} is unverifiable"));
        }
        Assert.Equal("f68b3c2dcbeaaa9fbdd348bbdeb94873", DataSets.Get("mnist").Files[0].Md5);
    }

    [Fact]
    public void Contact_sheet_is_a_png_of_the_grid()
    {
        using var ds = AugmentationTests.Identical(16);
        var path = Path.Combine(_dir, "sheet.png");
        ContactSheet.Write(ds, Augmentations.Train(DataSets.Get("cifar10"), AugmentExtras.Cutout), path, rows: 2, columns: 4);
        using var bmp = SkiaSharp.SKBitmap.Decode(path);
        Assert.Equal(4 * (64 + 2) + 2, bmp.Width);
        Assert.Equal(2 * (64 + 2) + 2, bmp.Height);
        var stats = DataStatistics.Compute(ds);
        Assert.Equal(16, stats.Count);
        var first = ds.ImageSpan(0)[..1024].ToArray();
        Assert.Equal(first.Average(v => (double)v) / 255.0, stats.ChannelMean[0], 6);
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) { lock (this) report(value); }
    }
}
