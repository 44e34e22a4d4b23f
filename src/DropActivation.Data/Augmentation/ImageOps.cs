namespace DropActivation.Data.Augmentation;

/// <summary>
/// Pillow-equivalent operations on planar uint8 images, as AutoAugment uses them: affine warps
/// with nearest-neighbour sampling (ShearX/Y, TranslateX/Y, Rotate), the ImageOps point operations
/// (AutoContrast, Invert, Equalize, Solarize, Posterize) and the ImageEnhance blends (Contrast,
/// Color, Brightness, Sharpness), with Pillow's rounding and clipping.
/// </summary>
public static class ImageOps
{
    /// <summary>
    /// Pillow's <c>Image.transform(AFFINE, (a, b, c, d, e, f))</c>, nearest: output pixel (x, y) takes input
    /// (floor(a·(x+½) + b·(y+½) + c), floor(d·(x+½) + e·(y+½) + f)), or <paramref name="fill"/> outside.
    /// </summary>
    public static void Affine(ImageBuffer img, double a, double b, double c, double d, double e, double f, byte fill)
    {
        int ch = img.Channels, h = img.Height, w = img.Width, plane = h * w;
        var dst = img.Scratch(ch * plane);
        var src = img.Data;
        for (int y = 0; y < h; y++)
        {
            double yc = y + 0.5;
            for (int x = 0; x < w; x++)
            {
                double xc = x + 0.5;
                double sx = a * xc + b * yc + c, sy = d * xc + e * yc + f;
                int ix = (int)Math.Floor(sx), iy = (int)Math.Floor(sy);
                int o = y * w + x;
                if ((uint)ix < (uint)w && (uint)iy < (uint)h)
                {
                    int s = iy * w + ix;
                    for (int k = 0; k < ch; k++) dst[k * plane + o] = src[k * plane + s];
                }
                else
                    for (int k = 0; k < ch; k++) dst[k * plane + o] = fill;
            }
        }
        img.SwapScratch(ch, h, w);
    }

    /// <summary>Shear along x by factor <paramref name="m"/> (Pillow matrix (1, m, 0, 0, 1, 0)).</summary>
    public static void ShearX(ImageBuffer img, double m, byte fill) => Affine(img, 1, m, 0, 0, 1, 0, fill);

    /// <summary>Shear along y by factor <paramref name="m"/> (Pillow matrix (1, 0, 0, m, 1, 0)).</summary>
    public static void ShearY(ImageBuffer img, double m, byte fill) => Affine(img, 1, 0, 0, m, 1, 0, fill);

    /// <summary>Moves the content right by <paramref name="pixels"/> (left when negative).</summary>
    public static void TranslateX(ImageBuffer img, int pixels, byte fill) => Affine(img, 1, 0, -pixels, 0, 1, 0, fill);

    /// <summary>Moves the content down by <paramref name="pixels"/> (up when negative).</summary>
    public static void TranslateY(ImageBuffer img, int pixels, byte fill) => Affine(img, 1, 0, 0, 0, 1, -pixels, fill);

    /// <summary>Pillow's <c>rotate(degrees)</c>: counter-clockwise about the image centre, nearest, same size.</summary>
    public static void Rotate(ImageBuffer img, double degrees, byte fill)
    {
        double angle = -degrees * Math.PI / 180.0;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double cx = img.Width / 2.0, cy = img.Height / 2.0;
        double a = cos, b = sin, d = -sin, e = cos;
        double c = a * -cx + b * -cy + cx, f = d * -cx + e * -cy + cy;
        Affine(img, a, b, c, d, e, f, fill);
    }

    private static void ApplyLut(ImageBuffer img, int channel, ReadOnlySpan<byte> lut)
    {
        var p = img.Plane(channel);
        for (int i = 0; i < p.Length; i++) p[i] = lut[p[i]];
    }

    /// <summary>255 − v.</summary>
    public static void Invert(ImageBuffer img)
    {
        var p = img.Pixels;
        for (int i = 0; i < p.Length; i++) p[i] = (byte)(255 - p[i]);
    }

    /// <summary>Inverts every value at or above <paramref name="threshold"/>.</summary>
    public static void Solarize(ImageBuffer img, int threshold)
    {
        var p = img.Pixels;
        for (int i = 0; i < p.Length; i++) if (p[i] >= threshold) p[i] = (byte)(255 - p[i]);
    }

    /// <summary>Keeps the top <paramref name="bits"/> bits of every value.</summary>
    public static void Posterize(ImageBuffer img, int bits)
    {
        byte mask = (byte)~((1 << (8 - Math.Clamp(bits, 0, 8))) - 1);
        var p = img.Pixels;
        for (int i = 0; i < p.Length; i++) p[i] &= mask;
    }

    private static void Histogram(ReadOnlySpan<byte> plane, Span<int> h)
    {
        h.Clear();
        foreach (var v in plane) h[v]++;
    }

    /// <summary>Pillow's <c>ImageOps.autocontrast</c> (cutoff 0): stretches each channel's [min, max] to [0, 255].</summary>
    public static void AutoContrast(ImageBuffer img)
    {
        Span<int> h = stackalloc int[256];
        Span<byte> lut = stackalloc byte[256];
        for (int c = 0; c < img.Channels; c++)
        {
            Histogram(img.Plane(c), h);
            int lo = 0, hi = 255;
            while (lo < 256 && h[lo] == 0) lo++;
            while (hi >= 0 && h[hi] == 0) hi--;
            if (hi <= lo) continue;
            double scale = 255.0 / (hi - lo), offset = -lo * scale;
            for (int i = 0; i < 256; i++) lut[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255);
            ApplyLut(img, c, lut);
        }
    }

    /// <summary>Pillow's <c>ImageOps.equalize</c>: per-channel histogram equalisation.</summary>
    public static void Equalize(ImageBuffer img)
    {
        Span<int> h = stackalloc int[256];
        Span<byte> lut = stackalloc byte[256];
        for (int c = 0; c < img.Channels; c++)
        {
            Histogram(img.Plane(c), h);
            int nonZero = 0, last = 0, total = 0;
            for (int i = 0; i < 256; i++) if (h[i] != 0) { nonZero++; last = h[i]; total += h[i]; }
            if (nonZero <= 1) continue;
            int step = (total - last) / 255;
            if (step == 0) continue;
            int n = step / 2;
            for (int i = 0; i < 256; i++) { lut[i] = (byte)Math.Min(255, n / step); n += h[i]; }
            ApplyLut(img, c, lut);
        }
    }

    private static byte Clip(float v) => v <= 0f ? (byte)0 : v >= 255f ? (byte)255 : (byte)v;

    private static int Luma(byte r, byte g, byte b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

    /// <summary>Pillow's <c>ImageEnhance.Brightness(factor)</c>: blend with black.</summary>
    public static void Brightness(ImageBuffer img, double factor)
    {
        float f = (float)factor;
        var p = img.Pixels;
        for (int i = 0; i < p.Length; i++) p[i] = Clip(f * p[i]);
    }

    /// <summary>Pillow's <c>ImageEnhance.Contrast(factor)</c>: blend with the mean grey level.</summary>
    public static void Contrast(ImageBuffer img, double factor)
    {
        int plane = img.PlaneSize;
        long sum = 0;
        if (img.Channels == 3)
        {
            var r = img.Plane(0); var g = img.Plane(1); var b = img.Plane(2);
            for (int i = 0; i < plane; i++) sum += Luma(r[i], g[i], b[i]);
        }
        else foreach (var v in img.Plane(0)) sum += v;
        float mean = (int)((double)sum / plane + 0.5);
        float f = (float)factor;
        var p = img.Pixels;
        for (int i = 0; i < p.Length; i++) p[i] = Clip(mean + f * (p[i] - mean));
    }

    /// <summary>Pillow's <c>ImageEnhance.Color(factor)</c>: blend with the grey version (no effect on one channel).</summary>
    public static void Color(ImageBuffer img, double factor)
    {
        if (img.Channels != 3) return;
        float f = (float)factor;
        var r = img.Plane(0); var g = img.Plane(1); var b = img.Plane(2);
        for (int i = 0; i < r.Length; i++)
        {
            float l = Luma(r[i], g[i], b[i]);
            r[i] = Clip(l + f * (r[i] - l));
            g[i] = Clip(l + f * (g[i] - l));
            b[i] = Clip(l + f * (b[i] - l));
        }
    }

    /// <summary>Pillow's <c>ImageEnhance.Sharpness(factor)</c>: blend with the SMOOTH-filtered image (3×3 kernel 1,1,1/1,5,1/1,1,1 over 13, borders kept).</summary>
    public static void Sharpness(ImageBuffer img, double factor)
    {
        int h = img.Height, w = img.Width;
        if (h < 3 || w < 3) return;
        float f = (float)factor;
        var src = img.Data;
        var dst = img.Scratch(img.Length);
        src.AsSpan(0, img.Length).CopyTo(dst);
        for (int c = 0; c < img.Channels; c++)
        {
            int o = c * h * w;
            for (int y = 1; y < h - 1; y++)
                for (int x = 1; x < w - 1; x++)
                {
                    int i = o + y * w + x;
                    int s = src[i - w - 1] + src[i - w] + src[i - w + 1] + src[i - 1] + 5 * src[i] + src[i + 1]
                          + src[i + w - 1] + src[i + w] + src[i + w + 1];
                    float smooth = Math.Clamp((int)(s / 13f + 0.5f), 0, 255);
                    dst[i] = Clip(smooth + f * (src[i] - smooth));
                }
        }
        img.SwapScratch(img.Channels, h, w);
    }
}
