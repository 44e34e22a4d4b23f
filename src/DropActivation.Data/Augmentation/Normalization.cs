namespace DropActivation.Data.Augmentation;

/// <summary>
/// Converts uint8 pixels to float32 as (v / pixelMax − mean[c]) / std[c], through a 256-entry
/// table per channel. One mean/std may serve every channel.
/// </summary>
public sealed class Normalization
{
    /// <summary>Per-channel mean (in [0, 1] units).</summary>
    public float[] Mean { get; }

    /// <summary>Per-channel standard deviation.</summary>
    public float[] Std { get; }

    /// <summary>Creates the normalisation; <paramref name="mean"/> and <paramref name="std"/> have one entry per channel, or one for all.</summary>
    public Normalization(float[] mean, float[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length) throw new ArgumentException("mean and std must have the same, non-zero length");
        if (std.Any(s => !(s > 0))) throw new ArgumentOutOfRangeException(nameof(std), "standard deviations must be positive");
        Mean = mean; Std = std;
    }

    /// <summary>Only divides by the pixel maximum (values in [0, 1]), as the paper does for SVHN.</summary>
    public static Normalization UnitRange { get; } = new([0f], [1f]);

    private float M(int c) => Mean[Mean.Length == 1 ? 0 : c];
    private float S(int c) => Std[Std.Length == 1 ? 0 : c];

    /// <summary>The lookup tables for <paramref name="channels"/> channels and pixel maximum <paramref name="pixelMax"/>.</summary>
    public float[] Table(int channels, int pixelMax)
    {
        if (Mean.Length != 1 && Mean.Length != channels)
            throw new InvalidOperationException($"normalisation has {Mean.Length} channels, images have {channels}");
        var t = new float[channels * 256];
        for (int c = 0; c < channels; c++)
            for (int v = 0; v < 256; v++)
                t[c * 256 + v] = (float)(((double)v / pixelMax - M(c)) / S(c));
        return t;
    }

    /// <summary>Writes the normalised planar image into <paramref name="output"/> using a table from <see cref="Table"/>.</summary>
    public static void Apply(ReadOnlySpan<byte> image, int channels, ReadOnlySpan<float> table, Span<float> output)
    {
        int plane = image.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            var lut = table.Slice(c * 256, 256);
            var src = image.Slice(c * plane, plane);
            var dst = output.Slice(c * plane, plane);
            for (int i = 0; i < src.Length; i++) dst[i] = lut[src[i]];
        }
    }

    public override string ToString() => $"Normalize(mean=[{string.Join(", ", Mean.Select(m => m.ToString("0.####")))}], std=[{string.Join(", ", Std.Select(s => s.ToString("0.####")))}])";
}
