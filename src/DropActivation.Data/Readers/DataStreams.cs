using System.IO.Compression;

namespace DropActivation.Data.Readers;

/// <summary>Opening files that may be gzip-compressed, and exact reads that report truncation by file name.</summary>
internal static class DataStreams
{
    /// <summary>Opens <paramref name="path"/>, transparently un-gzipping it when it starts with the gzip magic 1F 8B.</summary>
    public static Stream OpenMaybeGzip(string path)
    {
        if (!File.Exists(path)) throw new DataNotFoundException($"{path}: file not found", path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return WrapMaybeGzip(fs);
    }

    /// <summary>Wraps a seekable or buffered stream in a gzip decoder when it starts with 1F 8B.</summary>
    public static Stream WrapMaybeGzip(Stream s)
    {
        var buffered = s.CanSeek ? s : new BufferedStream(s, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        int n = buffered.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        if (buffered.CanSeek) buffered.Position = 0;
        else throw new InvalidOperationException("stream must be seekable");
        if (n == 2 && head[0] == 0x1F && head[1] == 0x8B)
            return new GZipStream(buffered, CompressionMode.Decompress, leaveOpen: false);
        return buffered;
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> from <paramref name="s"/>, or throws a <see cref="DataFormatException"/>
    /// naming <paramref name="path"/> and <paramref name="what"/> when the data ends early or is corrupt.
    /// </summary>
    public static void ReadExactly(Stream s, Span<byte> buffer, string path, string what)
    {
        int got;
        try { got = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false); }
        catch (InvalidDataException e) { throw new DataFormatException(path, $"corrupt compressed data while reading {what} ({e.Message})", e); }
        catch (EndOfStreamException e) { throw new DataFormatException(path, $"truncated: ends inside {what}", e); }
        if (got < buffer.Length)
            throw new DataFormatException(path, $"truncated: ends inside {what} ({got} of {buffer.Length} bytes present)");
    }

    /// <summary>Throws when <paramref name="s"/> holds any more bytes ("wrongly sized").</summary>
    public static void ExpectEnd(Stream s, string path, string expected)
    {
        Span<byte> probe = stackalloc byte[4096];
        long extra = 0;
        try
        {
            int n;
            while ((n = s.Read(probe)) > 0) { extra += n; if (extra > 1 << 20) break; }
        }
        catch (InvalidDataException e) { throw new DataFormatException(path, $"corrupt compressed data after {expected} ({e.Message})", e); }
        if (extra > 0)
            throw new DataFormatException(path, $"wrongly sized: {(extra > 1 << 20 ? "more than 1 MiB" : extra + " bytes")} of extra data after {expected}");
    }

    /// <summary>
    /// At most how many bytes <paramref name="s"/> can still give, to check a header's sizes before allocating: what is
    /// left of a file, or 1032 times a gzipped file's length (deflate's largest ratio); null when not known.
    /// </summary>
    public static long? MaxRemaining(Stream s) => s switch
    {
        GZipStream { BaseStream.CanSeek: true } gz => gz.BaseStream.Length * 1032,
        { CanSeek: true } => s.Length - s.Position,
        _ => null,
    };

    /// <summary>Throws when <paramref name="s"/> cannot hold the <paramref name="declared"/> bytes of <paramref name="what"/> its header declares.</summary>
    public static void ExpectAvailable(Stream s, long declared, string path, string what)
    {
        if (MaxRemaining(s) is { } most && declared > most)
            throw new DataFormatException(path, $"truncated or corrupt: the header declares {what} ({declared} bytes) but the file holds at most {most}");
    }

    /// <summary>
    /// Reads the <paramref name="count"/> bytes of <paramref name="what"/> a header declares, allocating as they arrive:
    /// in a stream of unknown length (a gzip member of a zip) a corrupt count must not allocate up front.
    /// </summary>
    public static byte[] ReadDeclared(Stream s, long count, string path, string what)
    {
        var data = new MemoryStream();
        var chunk = new byte[(int)Math.Min(count, 1 << 20)];
        for (long left = count; left > 0;)
        {
            int k = (int)Math.Min(left, chunk.Length);
            ReadExactly(s, chunk.AsSpan(0, k), path, what);
            data.Write(chunk, 0, k);
            left -= k;
        }
        return data.ToArray();
    }

    /// <summary>Reads a big-endian unsigned 32-bit integer.</summary>
    public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> b) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b);
}
