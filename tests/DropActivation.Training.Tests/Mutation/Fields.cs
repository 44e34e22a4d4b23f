using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace DropActivation.Training.Tests.Mutation;

/// <summary>Finds the header fields of a valid file that the mutator sets to absurd values, one finder per container layout.</summary>
internal static partial class Fields
{
    /// <summary>Fields at fixed offsets.</summary>
    public static Func<byte[], IEnumerable<Field>> At(FieldKind kind, int size, params int[] offsets) => _ => offsets.Select(o => new Field(o, size, kind));

    /// <summary>The CRC and length of a gzip trailer.</summary>
    public static IEnumerable<Field> Gzip(byte[] b) => [new(b.Length - 8, 4, FieldKind.LittleEndian), new(b.Length - 4, 4, FieldKind.LittleEndian)];

    /// <summary>Every number of the ASCII/UTF-8 text in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static IEnumerable<Field> Numbers(byte[] b, int start = 0, int end = int.MaxValue) =>
        Number().Matches(Encoding.Latin1.GetString(b, start, Math.Min(end, b.Length) - start)).Select(m => new Field(start + m.Index, m.Length, FieldKind.Decimal));

    /// <summary>Sizes, name lengths, counts and offsets of zip local headers, central directory entries and the end record; BINUNICODE lengths of a stored pickle.</summary>
    public static IEnumerable<Field> Zip(byte[] b)
    {
        for (int o = 0; o + 46 <= b.Length; o++)
        {
            if (b[o] != 'P' || b[o + 1] != 'K') continue;
            int[] at = (b[o + 2], b[o + 3]) switch { (3, 4) => [18, 22], (1, 2) => [20, 24, 42], (5, 6) => [12, 16], _ => [] };
            int[] shorts = (b[o + 2], b[o + 3]) switch { (3, 4) => [26, 28], (1, 2) => [28, 30, 32], (5, 6) => [8, 10, 20], _ => [] };
            foreach (var a in at) yield return new Field(o + a, 4, FieldKind.LittleEndian);
            foreach (var s in shorts) yield return new Field(o + s, 2, FieldKind.LittleEndian);
        }
        for (int o = 0; o + 5 <= b.Length; o++)
            if (b[o] == 'X' && BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(o + 1)) is > 0 and < 200 and var n && o + 5 + n <= b.Length
                && b.AsSpan(o + 5, n).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0)
                yield return new Field(o + 1, 4, FieldKind.LittleEndian);
    }

    /// <summary>Size and checksum of every tar header, and the numbers of PAX extended headers.</summary>
    public static IEnumerable<Field> Tar(byte[] b)
    {
        for (int o = 0; o + 512 <= b.Length; o += 512)
        {
            if (Encoding.ASCII.GetString(b, o + 257, 5) != "ustar") continue;
            yield return new Field(o + 124, 12, FieldKind.Octal);
            yield return new Field(o + 148, 8, FieldKind.Octal);
            if (b[o + 156] == 'x') foreach (var f in Numbers(b, o + 512, o + 1024)) yield return f;
        }
    }

    /// <summary>Tags (type, byte count) of the top-level elements of a MAT file, and every word of the first 64 bytes of a matrix (flags, dimensions, name, data tag).</summary>
    public static IEnumerable<Field> Mat(byte[] b)
    {
        for (int o = 128; o + 8 <= b.Length;)
        {
            int type = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(o)), n = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(o + 4));
            int words = type == 14 ? Math.Min(n, 64) / 4 + 2 : 2;
            for (int w = 0; w < words; w++) yield return new Field(o + 4 * w, 4, FieldKind.LittleEndian);
            if (n < 0) yield break;
            o += 8 + (type == 15 ? n : (n + 7) & ~7);
        }
    }

    /// <summary>Chunk lengths of a PNG and the width and height of its IHDR.</summary>
    public static IEnumerable<Field> Png(byte[] b)
    {
        yield return new Field(16, 4, FieldKind.BigEndian);
        yield return new Field(20, 4, FieldKind.BigEndian);
        for (int o = 8; o + 8 <= b.Length; o += 12 + BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(o)))
            yield return new Field(o, 4, FieldKind.BigEndian);
    }

    /// <summary>Segment lengths of a JPEG up to its scan, and the height and width of its frame header.</summary>
    public static IEnumerable<Field> Jpeg(byte[] b)
    {
        for (int o = 2; o + 4 <= b.Length && b[o] == 0xFF && b[o + 1] != 0xDA; o += 2 + BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(o + 2)))
        {
            yield return new Field(o + 2, 2, FieldKind.BigEndian);
            if (b[o + 1] is 0xC0 or 0xC2) { yield return new Field(o + 5, 2, FieldKind.BigEndian); yield return new Field(o + 7, 2, FieldKind.BigEndian); }
        }
    }

    /// <summary>A checkpoint's version and header length, the header's numbers, and the count, name length, dtype, rank, first dimension and byte count of its first tensor.</summary>
    public static IEnumerable<Field> Checkpoint(byte[] b)
    {
        int json = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(12)), o = 16 + json, name = b[o + 4];
        int dtype = o + 5 + name, rank = dtype + 4, dims = (int)BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(rank));
        return [new(8, 4, FieldKind.LittleEndian), new(12, 4, FieldKind.LittleEndian), .. Numbers(b, 16, o), new(o, 4, FieldKind.LittleEndian),
            new(o + 4, 1, FieldKind.LittleEndian), new(dtype, 4, FieldKind.LittleEndian), new(rank, 8, FieldKind.LittleEndian),
            new(rank + 8, 8, FieldKind.LittleEndian), new(rank + 8 + 8 * dims, 8, FieldKind.LittleEndian)];
    }

    /// <summary>The header length of a safetensors file and the numbers (shapes, data offsets) of its JSON header.</summary>
    public static IEnumerable<Field> Safetensors(byte[] b) =>
        [new(0, 8, FieldKind.LittleEndian), .. Numbers(b, 8, 8 + (int)BinaryPrimitives.ReadInt64LittleEndian(b))];

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Number();
}
