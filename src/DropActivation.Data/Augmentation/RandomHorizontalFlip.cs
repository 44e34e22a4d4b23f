namespace DropActivation.Data.Augmentation;

/// <summary>Mirrors the image left–right with probability <see cref="P"/>.</summary>
public sealed class RandomHorizontalFlip(double p = 0.5) : IImageTransform
{
    /// <summary>Probability of a flip.</summary>
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p));

    public (int Height, int Width) OutputSize(int height, int width) => (height, width);

    public void Apply(ImageBuffer image, ref AugmentRandom rng)
    {
        if (!rng.Chance(P)) return;
        Flip(image);
    }

    /// <summary>Mirrors every row.</summary>
    public static void Flip(ImageBuffer image)
    {
        int rows = image.Channels * image.Height, w = image.Width;
        var d = image.Data;
        for (int r = 0; r < rows; r++) d.AsSpan(r * w, w).Reverse();
    }

    public override string ToString() => $"RandomHorizontalFlip(p={P})";
}
