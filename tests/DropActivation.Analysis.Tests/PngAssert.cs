using System.Buffers.Binary;
using SkiaSharp;

namespace DropActivation.Analysis.Tests;

/// <summary>Checks that a file is a real PNG: its size (<see cref="Size"/>, <see cref="Figure"/>) and non-trivial content.</summary>
internal static class PngAssert
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    public static void ValidNonTrivial(string path, long minBytes = 10_000, int minColours = 16)
    {
        var (width, height) = Size(path);
        long length = new FileInfo(path).Length;
        Assert.True(length >= minBytes, $"{path}: {length} bytes, expected at least {minBytes}");
        Assert.True(width > 100 && height > 100, $"{path}: {width}×{height}");

        using var bmp = SKBitmap.Decode(path);
        Assert.NotNull(bmp);
        Assert.Equal(width, bmp.Width);
        Assert.Equal(height, bmp.Height);
        var colours = new HashSet<uint>();
        int nonWhite = 0;
        for (int y = 0; y < bmp.Height; y += 2)
            for (int x = 0; x < bmp.Width; x += 2)
            {
                var c = bmp.GetPixel(x, y);
                colours.Add((uint)c);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240) nonWhite++;
            }
        Assert.True(colours.Count >= minColours, $"{path}: only {colours.Count} distinct colours");
        double inked = nonWhite / (bmp.Width * bmp.Height / 4.0);
        Assert.True(inked > 0.01, $"{path}: only {inked:P2} of the sampled pixels are not white");
    }

    /// <summary>Checks the PNG signature and IHDR chunk and returns the image's size.</summary>
    public static (int Width, int Height) Size(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG ({bytes.Length} bytes)");
        Assert.Equal(Signature, bytes[..8]);
        // The first chunk must be IHDR: length 13, then width and height (big-endian).
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>A PNG of the analyses' figure size (<see cref="DropActivation.Analysis.Plotting.Plots"/>).</summary>
    public static void Figure(string path)
    {
        var (w, h) = Size(path);
        Assert.Equal(DropActivation.Analysis.Plotting.Plots.Width, w);
        Assert.Equal(DropActivation.Analysis.Plotting.Plots.Height, h);
    }
}
