using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace DropActivation.Training.Checkpoints;

/// <summary>
/// Reads and writes checkpoint files. Layout: the magic "DACKPT\r\n", a format version, the JSON
/// <see cref="CheckpointHeader"/> (length-prefixed), three tensor bundles (model, optimizer, RNG) and
/// the end marker "DACKEND\n". Writes are atomic: the bytes go to a temporary file beside the target,
/// are flushed to disk (fsync), and only then renamed over the target, so a crash at any moment
/// leaves the previous checkpoint intact.
/// </summary>
public static class CheckpointFile
{
    /// <summary>Current layout version.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "DACKPT\r\n"u8.ToArray();
    private static readonly byte[] EndMarker = "DACKEND\n"u8.ToArray();

    /// <summary>JSON settings of headers and run files.</summary>
    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = true };

    /// <summary>Writes a checkpoint atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, CheckpointHeader header, IEnumerable<KeyValuePair<string, Tensor>> model,
        IEnumerable<KeyValuePair<string, Tensor>> optimizer, Tensor? rngState) =>
        Save(path, header, model, optimizer, rngState, wrap: null);

    /// <summary>As <see cref="Save(string, CheckpointHeader, IEnumerable{KeyValuePair{string, Tensor}}, IEnumerable{KeyValuePair{string, Tensor}}, Tensor?)"/>,
    /// with the file stream wrapped by <paramref name="wrap"/> (tests use it to fail a write halfway).</summary>
    internal static void Save(string path, CheckpointHeader header, IEnumerable<KeyValuePair<string, Tensor>> model,
        IEnumerable<KeyValuePair<string, Tensor>> optimizer, Tensor? rngState, Func<Stream, Stream>? wrap)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var stream = wrap is null ? file : wrap(file);
                using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Magic);
                    w.Write(FormatVersion);
                    var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
                    w.Write(json.Length);
                    w.Write(json);
                    TensorBundle.Write(w, model);
                    TensorBundle.Write(w, optimizer);
                    TensorBundle.Write(w, rngState is null ? [] : [new("torch_cpu", rngState)]);
                    w.Write(EndMarker);
                    w.Flush();
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Reads only the header (fast: no tensors).</summary>
    /// <exception cref="CheckpointException">Missing, truncated or not a checkpoint.</exception>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var r = Open(path);
        return ReadHeader(r, path);
    }

    /// <summary>Reads a whole checkpoint.</summary>
    /// <exception cref="CheckpointException">Missing, truncated, corrupt, or not a checkpoint.</exception>
    public static Checkpoint Load(string path)
    {
        using var r = Open(path);
        var header = ReadHeader(r, path);
        Dictionary<string, Tensor>? model = null, optimizer = null, rng = null;
        try
        {
            model = TensorBundle.Read(r);
            optimizer = TensorBundle.Read(r);
            rng = TensorBundle.Read(r);
            var end = r.ReadBytes(EndMarker.Length);
            if (!end.AsSpan().SequenceEqual(EndMarker)) throw new InvalidDataException("the end marker is missing");
            var state = rng.TryGetValue("torch_cpu", out var s) ? s : null;
            return new Checkpoint(header, model, optimizer, state);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException or OverflowException or FormatException)
        {
            foreach (var d in new[] { model, optimizer, rng })
                if (d is not null) foreach (var t in d.Values) t.Dispose();
            throw new CheckpointException(path, $"the checkpoint is truncated or corrupt ({e.Message}); it was probably written by an interrupted run", e);
        }
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "checkpoint file not found");
        return new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20), Encoding.UTF8);
    }

    private static CheckpointHeader ReadHeader(BinaryReader r, string path)
    {
        try
        {
            var magic = r.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic)) throw new CheckpointException(path, "not a dropact checkpoint (wrong magic bytes)");
            int version = r.ReadInt32();
            if (version != FormatVersion) throw new CheckpointException(path, $"checkpoint format version {version}; this build reads version {FormatVersion}");
            int length = r.ReadInt32();
            if (length <= 0 || length > r.BaseStream.Length) throw new InvalidDataException($"header length {length} is impossible");
            var json = r.ReadBytes(length);
            if (json.Length != length) throw new EndOfStreamException("the header is cut short");
            return JsonSerializer.Deserialize<CheckpointHeader>(json, Json) ?? throw new InvalidDataException("empty header");
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or JsonException)
        {
            throw new CheckpointException(path, $"the checkpoint header is truncated or corrupt ({e.Message})", e);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
