namespace DropActivation.Data.Augmentation;

/// <summary>
/// Zero-padding by <see cref="Padding"/> pixels on every side, then a random <see cref="Size"/>×<see cref="Size"/>
/// crop: the standard CIFAR augmentation (pad 4, crop 32). Offsets are uniform in [0, 2·padding + H − size].
/// </summary>
public sealed class RandomCrop(int size, int padding, byte fill = 0) : IImageTransform
{
    /// <summary>Output side length.</summary>
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size));

    /// <summary>Padding on each side.</summary>
    public int Padding { get; } = padding >= 0 ? padding : throw new ArgumentOutOfRangeException(nameof(padding));

    public (int Height, int Width) OutputSize(int height, int width) => (Size, Size);

    public void Apply(ImageBuffer image, ref AugmentRandom rng)
    {
        int h = image.Height, w = image.Width, c = image.Channels;
        int rangeY = h + 2 * Padding - Size, rangeX = w + 2 * Padding - Size;
        if (rangeY < 0 || rangeX < 0)
            throw new InvalidOperationException($"cannot crop {Size}×{Size} from a {h}×{w} image padded by {Padding}");
        int oy = rng.NextInt(rangeY + 1) - Padding, ox = rng.NextInt(rangeX + 1) - Padding;
        Crop(image, oy, ox, Size, Size, fill);
    }

    /// <summary>Cuts the <paramref name="ch"/>×<paramref name="cw"/> window at (<paramref name="top"/>, <paramref name="left"/>), filling outside pixels with <paramref name="fill"/>.</summary>
    public static void Crop(ImageBuffer image, int top, int left, int ch, int cw, byte fill)
    {
        int h = image.Height, w = image.Width, c = image.Channels;
        var dst = image.Scratch(c * ch * cw);
        var src = image.Data;
        int x0 = Math.Max(0, -left), x1 = Math.Min(cw, w - left);
        for (int k = 0; k < c; k++)
        {
            int sp = k * h * w, dp = k * ch * cw;
            for (int y = 0; y < ch; y++)
            {
                var row = dst.AsSpan(dp + y * cw, cw);
                int sy = y + top;
                if (sy < 0 || sy >= h || x1 <= x0) { row.Fill(fill); continue; }
                if (x0 > 0) row[..x0].Fill(fill);
                if (x1 < cw) row[x1..].Fill(fill);
                src.AsSpan(sp + sy * w + left + x0, x1 - x0).CopyTo(row[x0..x1]);
            }
        }
        image.SwapScratch(c, ch, cw);
    }

    public override string ToString() => $"RandomCrop({Size}, padding={Padding})";
}
