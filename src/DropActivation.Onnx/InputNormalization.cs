namespace DropActivation.Onnx;

/// <summary>
/// Per-channel input normalisation put at the start of an exported graph:
/// y = (x / <see cref="InputMax"/> − mean) / std, so the model takes raw pixels (InputMax 255) or
/// pixels in [0, 1] (InputMax 1). Mean and std are in [0, 1] units, one per channel or one for all.
/// </summary>
public sealed record InputNormalization
{
    /// <summary>Creates the normalisation; mean and std have the same, non-zero length and std is positive.</summary>
    public InputNormalization(float[] mean, float[] std, float inputMax)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length) throw new ArgumentException("mean and std must have the same, non-zero length.");
        if (std.Any(s => !(s > 0) || float.IsInfinity(s))) throw new ArgumentOutOfRangeException(nameof(std), "standard deviations must be positive and finite.");
        if (!(inputMax > 0) || float.IsInfinity(inputMax)) throw new ArgumentOutOfRangeException(nameof(inputMax), inputMax, "the input maximum must be positive (255 or 1).");
        Mean = mean;
        Std = std;
        InputMax = inputMax;
    }

    /// <summary>Per-channel mean in [0, 1] units.</summary>
    public float[] Mean { get; }

    /// <summary>Per-channel standard deviation in [0, 1] units.</summary>
    public float[] Std { get; }

    /// <summary>The largest input value: 255 for raw 8-bit pixels, 1 for pixels already scaled to [0, 1].</summary>
    public float InputMax { get; }

    /// <summary>The per-channel factor 1 / (InputMax · std) and offset −mean / std for <paramref name="channels"/> channels.</summary>
    public (float[] Scale, float[] Shift) Affine(int channels)
    {
        if (Mean.Length != 1 && Mean.Length != channels)
            throw new ArgumentException($"The normalisation has {Mean.Length} channel(s) but the model takes {channels}.");
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double m = Mean[Mean.Length == 1 ? 0 : c], s = Std[Std.Length == 1 ? 0 : c];
            scale[c] = (float)(1.0 / (InputMax * s));
            shift[c] = (float)(-m / s);
        }
        return (scale, shift);
    }
}
