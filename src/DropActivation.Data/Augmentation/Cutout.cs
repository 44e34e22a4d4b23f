namespace DropActivation.Data.Augmentation;

/// <summary>
/// Cutout (DeVries &amp; Taylor 2017): <see cref="Holes"/> square holes of side <see cref="Length"/>,
/// each centred at a uniformly random pixel and clipped at the border, set to 0 in the normalised
/// output (as the reference code multiplies the normalised tensor by a mask). The paper's lengths:
/// 16 for CIFAR-10, 8 for CIFAR-100, 20 for SVHN.
/// </summary>
public sealed class Cutout(int holes, int length)
{
    /// <summary>Number of holes per image.</summary>
    public int Holes { get; } = holes > 0 ? holes : throw new ArgumentOutOfRangeException(nameof(holes));

    /// <summary>Side length of each hole.</summary>
    public int Length { get; } = length > 0 ? length : throw new ArgumentOutOfRangeException(nameof(length));

    /// <summary>Zeros the holes in a normalised C×H×W image.</summary>
    public void Apply(Span<float> image, int channels, int height, int width, ref AugmentRandom rng)
    {
        for (int n = 0; n < Holes; n++)
        {
            int cy = rng.NextInt(height), cx = rng.NextInt(width);
            int y0 = Math.Clamp(cy - Length / 2, 0, height), y1 = Math.Clamp(cy + Length / 2, 0, height);
            int x0 = Math.Clamp(cx - Length / 2, 0, width), x1 = Math.Clamp(cx + Length / 2, 0, width);
            for (int c = 0; c < channels; c++)
                for (int y = y0; y < y1; y++)
                    image.Slice(c * height * width + y * width + x0, x1 - x0).Clear();
        }
    }

    public override string ToString() => $"Cutout(holes={Holes}, length={Length})";
}
