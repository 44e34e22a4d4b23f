namespace DropActivation.Data.Augmentation;

/// <summary>
/// ImageNet training crop (as torchvision's RandomResizedCrop): a box of random area in
/// [<see cref="ScaleMin"/>, <see cref="ScaleMax"/>] of the image and log-uniform aspect ratio in
/// [3/4, 4/3] (10 tries, else a centre crop of clamped ratio), resized to
/// <see cref="Size"/>×<see cref="Size"/> with antialiased bilinear filtering.
/// </summary>
public sealed class RandomResizedCrop(int size, double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3) : IImageTransform
{
    /// <summary>Output side length.</summary>
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size));

    /// <summary>Smallest area fraction.</summary>
    public double ScaleMin { get; } = scaleMin;

    /// <summary>Largest area fraction.</summary>
    public double ScaleMax { get; } = scaleMax;

    public (int Height, int Width) OutputSize(int height, int width) => (Size, Size);

    public void Apply(ImageBuffer image, ref AugmentRandom rng)
    {
        var (top, left, h, w) = Box(image.Height, image.Width, ref rng);
        Resampler.ResizeBox(image, top, left, h, w, Size, Size);
    }

    /// <summary>Draws the crop box (top, left, height, width) for an image of the given size.</summary>
    public (int Top, int Left, int Height, int Width) Box(int height, int width, ref AugmentRandom rng)
    {
        double area = (double)height * width;
        double logLo = Math.Log(ratioMin), logHi = Math.Log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * rng.NextDouble(ScaleMin, ScaleMax);
            double ratio = Math.Exp(rng.NextDouble(logLo, logHi));
            int w = (int)Math.Round(Math.Sqrt(target * ratio));
            int h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height)
                return (rng.NextInt(height - h + 1), rng.NextInt(width - w + 1), h, w);
        }
        double inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < ratioMin) { cw = width; ch = (int)Math.Round(cw / ratioMin); }
        else if (inRatio > ratioMax) { ch = height; cw = (int)Math.Round(ch * ratioMax); }
        else { cw = width; ch = height; }
        ch = Math.Clamp(ch, 1, height); cw = Math.Clamp(cw, 1, width);
        return ((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    public override string ToString() => $"RandomResizedCrop({Size}, scale=({ScaleMin}, {ScaleMax}))";
}
