namespace DropActivation.Data.Augmentation;

/// <summary>
/// ImageNet evaluation transform: resize so the shorter side is <see cref="Resize"/> (antialiased
/// bilinear), then cut the central <see cref="Crop"/>×<see cref="Crop"/> square. Deterministic.
/// </summary>
public sealed class ResizeCenterCrop(int resize = 256, int crop = 224) : IImageTransform
{
    /// <summary>Shorter side after resizing.</summary>
    public int Resize { get; } = resize > 0 ? resize : throw new ArgumentOutOfRangeException(nameof(resize));

    /// <summary>Side of the central crop.</summary>
    public int Crop { get; } = crop > 0 && crop <= resize ? crop : throw new ArgumentOutOfRangeException(nameof(crop));

    public (int Height, int Width) OutputSize(int height, int width) => (Crop, Crop);

    public void Apply(ImageBuffer image, ref AugmentRandom rng)
    {
        int h = image.Height, w = image.Width;
        int nh, nw;
        if (h <= w) { nh = Resize; nw = (int)((long)Resize * w / h); }
        else { nw = Resize; nh = (int)((long)Resize * h / w); }
        if (nh != h || nw != w) Resampler.ResizeBox(image, 0, 0, h, w, nh, nw);
        int top = (int)Math.Round((nh - Crop) / 2.0), left = (int)Math.Round((nw - Crop) / 2.0);
        RandomCrop.Crop(image, top, left, Crop, Crop, 0);
    }

    public override string ToString() => $"Resize({Resize}) + CenterCrop({Crop})";
}
