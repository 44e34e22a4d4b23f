using System.Security.Cryptography;
using DropActivation.Data.Registry;

namespace DropActivation.Data.Fetching;

/// <summary>
/// Downloads a data set's files from their official locations: streaming, with progress, MD5
/// verification, and an atomic rename of <c>FILE.part</c> to <c>FILE</c> only once verified.
/// Files already present with the right checksum are kept. On any failure it throws one
/// <see cref="DataFetchException"/> naming the files to place by hand and where.
/// </summary>
public sealed class DataFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    /// <summary>Uses <paramref name="http"/>, or a new client with a 30 s connect/response-header timeout.</summary>
    public DataFetcher(HttpClient? http = null)
    {
        _ownsClient = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) })
        { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        if (_ownsClient) _http.DefaultRequestHeaders.UserAgent.ParseAdd("dropact-data-fetch/0.1");
    }

    /// <summary>
    /// Makes sure every file of <paramref name="info"/> is in <c>ROOT/&lt;folder&gt;/</c>, downloading what is
    /// missing or fails its checksum. Returns the paths of the files.
    /// </summary>
    public async Task<IReadOnlyList<string>> FetchAsync(DataSetInfo info, string root, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var dir = info.Directory(root);
        if (info.Files.Count == 0)
            throw new DataFetchException($"{info.Title} cannot be downloaded automatically. {info.ManualInstructions} Put it in {dir}: {info.Layout}.");
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFetchException($"cannot create {dir} ({e.Message}). " + ManualMessage(info, dir, info.Files), e);
        }
        var paths = new List<string>();
        for (int i = 0; i < info.Files.Count; i++)
        {
            var file = info.Files[i];
            try { paths.Add(await FetchFileAsync(file, dir, progress, cancellationToken).ConfigureAwait(false)); }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var missing = info.Files.Skip(i).Where(f => !File.Exists(Path.Combine(dir, f.FileName))).ToList();
                if (!missing.Contains(file)) missing.Insert(0, file);
                throw new DataFetchException($"could not download {file.FileName} of {info.Title}: {Reason(e)}. " + ManualMessage(info, dir, missing), e);
            }
        }
        return paths;
    }

    /// <summary>The message telling a user which files to put where, with URLs and checksums.</summary>
    public static string ManualMessage(DataSetInfo info, string dir, IEnumerable<RemoteFile> files) =>
        $"Download by hand and put in {dir}: " + string.Join("; ", files.Select(f =>
            $"{f.FileName} from {f.Urls[0]}" + (f.Md5 is null ? "" : $" (MD5 {f.Md5})")));

    private static string Reason(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } code } => $"HTTP {(int)code} {code}",
        HttpRequestException h => $"no connection ({h.InnerException?.Message ?? h.Message})",
        TaskCanceledException => "the server did not answer in time",
        _ => e.Message,
    };

    /// <summary>Downloads one file into <paramref name="dir"/> (trying each URL in turn) unless it is already there and verified.</summary>
    public async Task<string> FetchFileAsync(RemoteFile file, string dir, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = Path.Combine(dir, file.FileName);
        if (File.Exists(target) && file.Md5 is not null && await Md5OfFileAsync(target, cancellationToken).ConfigureAwait(false) == file.Md5)
        {
            progress?.Report(new DownloadProgress(file.FileName, new FileInfo(target).Length, new FileInfo(target).Length, DownloadState.AlreadyPresent));
            return target;
        }
        if (File.Exists(target) && file.Md5 is null && file.Validate is not null && IsValid(file, target))
        {
            progress?.Report(new DownloadProgress(file.FileName, new FileInfo(target).Length, new FileInfo(target).Length, DownloadState.AlreadyPresent));
            return target;
        }
        Exception? last = null;
        foreach (var url in file.Urls)
        {
            var part = target + ".part";
            try
            {
                await DownloadAsync(url, part, file, progress, cancellationToken).ConfigureAwait(false);
                File.Move(part, target, overwrite: true);
                progress?.Report(new DownloadProgress(file.FileName, new FileInfo(target).Length, new FileInfo(target).Length, DownloadState.Done));
                return target;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = e;
                TryDelete(part);
            }
            catch
            {
                TryDelete(part);
                throw;
            }
        }
        throw last ?? new InvalidOperationException("no URL to download from");
    }

    private static bool IsValid(RemoteFile file, string path)
    {
        try { file.Validate!(path); return true; }
        catch (Exception e) when (e is InvalidDataException or IOException) { return false; }
    }

    private async Task DownloadAsync(string url, string part, RemoteFile file, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        long? total = response.Content.Headers.ContentLength ?? file.SizeBytes;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long done = 0;
        await using (var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
        await using (var output = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int n;
            long lastReport = -1;
            progress?.Report(new DownloadProgress(file.FileName, 0, total, DownloadState.Downloading));
            while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                md5.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                done += n;
                if (done - lastReport >= 1 << 20) { progress?.Report(new DownloadProgress(file.FileName, done, total, DownloadState.Downloading)); lastReport = done; }
            }
        }
        if (total is { } t && done != t)
            throw new IOException($"connection ended after {done} of {t} bytes");
        if (file.Md5 is not null)
        {
            var got = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (got != file.Md5) throw new InvalidDataException($"checksum mismatch: MD5 {got}, expected {file.Md5} (from {url})");
        }
        else file.Validate?.Invoke(part);
    }

    /// <summary>The lower-case hex MD5 of a file.</summary>
    public static async Task<string> Md5OfFileAsync(string path, CancellationToken ct = default)
    {
        await using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(s, ct).ConfigureAwait(false));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Disposes the HTTP client when this fetcher created it.</summary>
    public void Dispose() { if (_ownsClient) _http.Dispose(); }
}
