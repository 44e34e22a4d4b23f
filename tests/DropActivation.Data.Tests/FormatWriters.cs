using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace DropActivation.Data.Tests;

/// <summary>Writes small files byte for byte in the genuine layouts of IDX, CIFAR binary, tar and MATLAB level-5 .mat.</summary>
internal static class FormatWriters
{
    public static byte Pixel(int image, int channel, int row, int col) => (byte)((image * 37 + channel * 71 + row * 5 + col * 3 + row * col) & 0xFF);

    public static byte[] Idx3(int n, int h, int w, Func<int, int, int, byte> pixel, bool transposed = false)
    {
        var b = new byte[16 + n * h * w];
        BinaryPrimitives.WriteUInt32BigEndian(b, 0x00000803);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), (uint)n);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), (uint)h);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(12), (uint)w);
        for (int i = 0; i < n; i++)
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    b[16 + i * h * w + (transposed ? c * h + r : r * w + c)] = pixel(i, r, c);
        return b;
    }

    public static byte[] Idx1(byte[] labels)
    {
        var b = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, 0x00000801);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), (uint)labels.Length);
        labels.CopyTo(b, 8);
        return b;
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>CIFAR records: [coarse,] label, then R, G, B planes of 32×32 row-major.</summary>
    public static byte[] CifarRecords(int first, int count, Func<int, byte> fine, Func<int, byte>? coarse = null)
    {
        int lb = coarse is null ? 1 : 2, rec = lb + 3072;
        var b = new byte[count * rec];
        for (int k = 0; k < count; k++)
        {
            int i = first + k, o = k * rec;
            if (coarse is not null) b[o] = coarse(i);
            b[o + lb - 1] = fine(i);
            for (int ch = 0; ch < 3; ch++)
                for (int r = 0; r < 32; r++)
                    for (int c = 0; c < 32; c++)
                        b[o + lb + ch * 1024 + r * 32 + c] = Pixel(i, ch, r, c);
        }
        return b;
    }

    public static void TarGz(string path, IEnumerable<(string Name, byte[]? Data)> entries) => File.WriteAllBytes(path, Gzip(Tar(entries)));

    /// <summary>A tar archive at <paramref name="path"/>, gzipped when the path ends in .gz.</summary>
    public static void Tar(string path, IEnumerable<(string Name, byte[]? Data)> entries) =>
        File.WriteAllBytes(path, path.EndsWith(".gz") ? Gzip(Tar(entries)) : Tar(entries));

    /// <summary>A PAX tar archive in memory; an entry without data is a directory.</summary>
    public static byte[] Tar(IEnumerable<(string Name, byte[]? Data)> entries)
    {
        var ms = new MemoryStream();
        using (var tar = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, data) in entries)
                tar.WriteEntry(data is null
                    ? new PaxTarEntry(TarEntryType.Directory, name)
                    : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        return ms.ToArray();
    }

    /// <summary>A lossless (PNG) or lossy image whose pixels are a function of (image, channel, row, col).</summary>
    public static byte[] Image(int image, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int width = 4, int height = 3)
    {
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bmp.SetPixel(x, y, new SKColor(Pixel(image, 0, y, x), Pixel(image, 1, y, x), Pixel(image, 2, y, x), 255));
        using var data = bmp.Encode(format, 90);
        return data.ToArray();
    }

    // ---- MATLAB level 5 ----
    public const int MiInt8 = 1, MiUInt8 = 2, MiInt32 = 5, MiUInt32 = 6, MiDouble = 9, MiMatrix = 14, MiCompressed = 15;
    public const int MxDouble = 6, MxUInt8 = 9;

    public static byte[] MatHeader()
    {
        var h = new byte[128];
        var text = "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024";
        Encoding.ASCII.GetBytes(text.PadRight(116)).CopyTo(h, 0);
        for (int i = 116; i < 124; i++) h[i] = 0x20;
        h[124] = 0x00; h[125] = 0x01; h[126] = (byte)'I'; h[127] = (byte)'M';
        return h;
    }

    private static void Tag(List<byte> o, int type, int n) { var t = new byte[8]; BinaryPrimitives.WriteInt32LittleEndian(t, type); BinaryPrimitives.WriteInt32LittleEndian(t.AsSpan(4), n); o.AddRange(t); }
    private static void Pad(List<byte> o) { while (o.Count % 8 != 0) o.Add(0); }

    public static byte[] MatMatrix(string name, int mxClass, int[] dims, int dataType, byte[] data)
    {
        var body = new List<byte>();
        Tag(body, MiUInt32, 8);
        var flags = new byte[8]; flags[0] = (byte)mxClass; body.AddRange(flags);
        Tag(body, MiInt32, dims.Length * 4);
        foreach (var d in dims) { var x = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(x, d); body.AddRange(x); }
        Pad(body);
        var nb = Encoding.ASCII.GetBytes(name);
        if (nb.Length <= 4)
        {
            var t = new byte[8]; BinaryPrimitives.WriteInt32LittleEndian(t, (nb.Length << 16) | MiInt8); nb.CopyTo(t, 4); body.AddRange(t);
        }
        else { Tag(body, MiInt8, nb.Length); body.AddRange(nb); Pad(body); }
        Tag(body, dataType, data.Length);
        body.AddRange(data);
        Pad(body);
        var m = new List<byte>();
        Tag(m, MiMatrix, body.Count);
        m.AddRange(body);
        return m.ToArray();
    }

    public static byte[] Compressed(byte[] element)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(element);
        var o = new List<byte>();
        Tag(o, MiCompressed, (int)ms.Length);
        o.AddRange(ms.ToArray());
        return o.ToArray();
    }

    /// <summary>An SVHN-style file: X uint8 32×32×3×N column-major, y N×1 (double, or uint8 storage of a double array).</summary>
    public static byte[] SvhnMat(int n, Func<int, int> label, bool compress, bool yAsUInt8Storage = false)
    {
        var x = new byte[n * 3072];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < 3; ch++)
                for (int c = 0; c < 32; c++)
                    for (int r = 0; r < 32; r++)
                        x[r + 32 * c + 1024 * ch + 3072 * i] = Pixel(i, ch, r, c);
        byte[] y;
        if (yAsUInt8Storage) y = Enumerable.Range(0, n).Select(i => (byte)label(i)).ToArray();
        else { y = new byte[n * 8]; for (int i = 0; i < n; i++) BinaryPrimitives.WriteDoubleLittleEndian(y.AsSpan(i * 8), label(i)); }
        var xm = MatMatrix("X", MxUInt8, [32, 32, 3, n], MiUInt8, x);
        var ym = MatMatrix("y", MxDouble, [n, 1], yAsUInt8Storage ? MiUInt8 : MiDouble, y);
        var file = new List<byte>(MatHeader());
        file.AddRange(compress ? Compressed(xm) : xm);
        file.AddRange(compress ? Compressed(ym) : ym);
        return file.ToArray();
    }
}
