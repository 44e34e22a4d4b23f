namespace DropActivation.Data.Augmentation;

/// <summary>
/// Bilinear resampling with Pillow-style antialiasing (the triangle filter widens by the
/// downscaling factor), separable, on planar uint8 images.
/// </summary>
public static class Resampler
{
    /// <summary>Resizes the box (top, left, boxH, boxW) of <paramref name="img"/> to <paramref name="outH"/>×<paramref name="outW"/>, in place.</summary>
    public static void ResizeBox(ImageBuffer img, int top, int left, int boxH, int boxW, int outH, int outW)
    {
        if (boxH <= 0 || boxW <= 0 || top < 0 || left < 0 || top + boxH > img.Height || left + boxW > img.Width)
            throw new ArgumentOutOfRangeException(nameof(boxH), $"box {top},{left} {boxH}×{boxW} outside a {img.Height}×{img.Width} image");
        int c = img.Channels, h = img.Height, w = img.Width;
        var (xs, xw, xn) = Weights(left, boxW, outW, w);
        var (ys, yw, yn) = Weights(top, boxH, outH, h);
        // Horizontal pass over the rows the vertical pass needs.
        int rowLo = ys[0], rowHi = ys[outH - 1] + yn;
        int rows = rowHi - rowLo;
        var tmp = new float[c * rows * outW];
        var src = img.Data;
        for (int k = 0; k < c; k++)
            for (int r = 0; r < rows; r++)
            {
                int srow = k * h * w + (rowLo + r) * w;
                int trow = (k * rows + r) * outW;
                for (int x = 0; x < outW; x++)
                {
                    float acc = 0;
                    int s0 = srow + xs[x], wo = x * xn;
                    for (int t = 0; t < xn; t++) acc += src[s0 + t] * xw[wo + t];
                    tmp[trow + x] = acc;
                }
            }
        var dst = img.Scratch(c * outH * outW);
        for (int k = 0; k < c; k++)
            for (int y = 0; y < outH; y++)
            {
                int r0 = ys[y] - rowLo, wo = y * yn;
                int drow = (k * outH + y) * outW;
                for (int x = 0; x < outW; x++)
                {
                    float acc = 0;
                    for (int t = 0; t < yn; t++) acc += tmp[(k * rows + r0 + t) * outW + x] * yw[wo + t];
                    int v = (int)(acc + 0.5f);
                    dst[drow + x] = (byte)Math.Clamp(v, 0, 255);
                }
            }
        img.SwapScratch(c, outH, outW);
    }

    /// <summary>Per output pixel: first input index, normalised weights (fixed tap count, zero-padded) and the tap count.</summary>
    private static (int[] Start, float[] W, int Taps) Weights(int offset, int inSize, int outSize, int limit)
    {
        double scale = (double)inSize / outSize;
        double support = Math.Max(scale, 1.0);
        int taps = Math.Min((int)Math.Ceiling(support) * 2 + 1, limit);
        var start = new int[outSize];
        var weights = new float[outSize * taps];
        var tw = new double[taps];
        for (int o = 0; o < outSize; o++)
        {
            double center = offset + (o + 0.5) * scale;
            int lo = Math.Max(0, (int)Math.Floor(center - support));
            int hi = Math.Min(limit, (int)Math.Ceiling(center + support));
            if (hi - lo > taps) hi = lo + taps;
            lo = Math.Max(0, Math.Min(lo, limit - taps));
            start[o] = lo;
            double sum = 0;
            for (int t = 0; t < taps; t++)
            {
                int i = lo + t;
                if (i >= limit) { tw[t] = 0; continue; }
                double d = Math.Abs((i + 0.5 - center) / support);
                tw[t] = d < 1 ? 1 - d : 0;
                sum += tw[t];
            }
            if (sum <= 0)
            {
                int nearest = Math.Clamp((int)Math.Floor(center) - lo, 0, taps - 1);
                Array.Clear(tw); tw[nearest] = 1; sum = 1;
            }
            for (int t = 0; t < taps; t++) weights[o * taps + t] = (float)(tw[t] / sum);
        }
        return (start, weights, taps);
    }
}
