using DropActivation.Data.Augmentation;
using DropActivation.Data.Loading;
using SkiaSharp;

namespace DropActivation.Data.Inspection;

/// <summary>Renders augmented samples as a PNG grid, to see what the network is fed.</summary>
public static class ContactSheet
{
    /// <summary>
    /// Writes <paramref name="rows"/>×<paramref name="columns"/> augmented samples of <paramref name="source"/>
    /// (drawn by a loader with <paramref name="seed"/>) to <paramref name="path"/> as PNG; images are
    /// un-normalised for display and scaled up to at least 64 pixels per tile.
    /// </summary>
    public static void Write(IDataSource source, AugmentPipeline pipeline, string path, int rows = 8, int columns = 8, ulong seed = 0)
    {
        int n = Math.Min(rows * columns, source.Count);
        using var loader = new DataLoader(source, pipeline, n, shuffle: true, seed: seed);
        var indices = loader.Order(0).Take(n).ToArray();
        using var batch = loader.LoadBatch(indices);
        var (c, h, w) = loader.ImageShape;
        int scale = Math.Max(1, (int)Math.Ceiling(64.0 / Math.Max(h, w)));
        int tileH = h * scale, tileW = w * scale, gap = 2;
        int width = columns * (tileW + gap) + gap, height = rows * (tileH + gap) + gap;
        var data = batch.Images.data<float>().ToArray();
        var norm = pipeline.Normalization;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = new byte[width * height * 4];
        for (int i = 0; i < pixels.Length; i += 4) { pixels[i] = 40; pixels[i + 1] = 40; pixels[i + 2] = 40; pixels[i + 3] = 255; }
        for (int k = 0; k < n; k++)
        {
            int ox = gap + (k % columns) * (tileW + gap), oy = gap + (k / columns) * (tileH + gap);
            for (int y = 0; y < tileH; y++)
                for (int x = 0; x < tileW; x++)
                {
                    int p = ((oy + y) * width + ox + x) * 4;
                    for (int ch = 0; ch < 3; ch++)
                    {
                        int sc = c == 1 ? 0 : ch;
                        float v = data[(long)k * c * h * w + sc * h * w + (y / scale) * w + x / scale];
                        float mean = norm.Mean[norm.Mean.Length == 1 ? 0 : sc], std = norm.Std[norm.Std.Length == 1 ? 0 : sc];
                        pixels[p + ch] = (byte)Math.Clamp((int)MathF.Round((v * std + mean) * 255f), 0, 255);
                    }
                }
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        encoded.SaveTo(file);
    }
}
