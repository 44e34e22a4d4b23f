using System.Buffers.Binary;

namespace DropActivation.Experiments.Tests;

/// <summary>Checks that a file is a PNG and reads its size from the IHDR chunk.</summary>
internal static class Png
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    public static (int Width, int Height) Size(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} is too short for a PNG ({bytes.Length} bytes)");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    public static void AssertFigure(string path)
    {
        var (w, h) = Size(path);
        Assert.Equal(DropActivation.Analysis.Plotting.Plots.Width, w);
        Assert.Equal(DropActivation.Analysis.Plotting.Plots.Height, h);
    }
}
