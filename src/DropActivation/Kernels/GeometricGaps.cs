using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace DropActivation.Kernels;

/// <summary>
/// Samples G ~ Geometric: the number of kept elements before the next dropped one, when each
/// element is dropped independently with probability q = 1 - p, so P(G = k) = p^k q.
/// <para>
/// Inversion through a table of the distribution function F(k) = 1 - p^(k+1), with a guide
/// table (Chen &amp; Asau) that jumps to the right neighbourhood in one step: one 53-bit uniform
/// number and about one comparison per sample, no logarithm. Gaps beyond the table use
/// memorylessness: G = K + G' with G' drawn afresh, so the distribution is exact at any length.
/// </para>
/// </summary>
internal sealed class GeometricGaps
{
    private const int GuideSize = 4096;
    private static readonly ConcurrentDictionary<double, GeometricGaps> Cache = new();

    private readonly double[] _cdf;
    private readonly int[] _guide;

    private GeometricGaps(double p)
    {
        P = p;
        double q = 1.0 - p;
        // Table long enough that the tail (memoryless restart) is rare: about 12 mean gaps.
        int length = (int)Math.Clamp(Math.Ceiling(12.0 / q), 64, 1 << 20);
        _cdf = new double[length];
        double keepPower = 1.0;
        for (int k = 0; k < length; k++)
        {
            keepPower *= p;
            _cdf[k] = 1.0 - keepPower;
        }
        _guide = new int[GuideSize];
        int j = 0;
        for (int g = 0; g < GuideSize; g++)
        {
            double threshold = (double)g / GuideSize;
            while (j < length - 1 && _cdf[j] <= threshold) j++;
            _guide[g] = j;
        }
    }

    public double P { get; }

    /// <summary>The table for keep probability p (0 &lt; p &lt; 1), built once per p.</summary>
    public static GeometricGaps For(double p)
    {
        if (Cache.Count > 64) Cache.Clear();
        return Cache.GetOrAdd(p, static v => new GeometricGaps(v));
    }

    /// <summary>One geometric gap from a uniform stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public long Next(ref SplitMix64 rng)
    {
        long offset = 0;
        var cdf = _cdf;
        while (true)
        {
            double u = rng.NextDoubleHalfOpen();
            int k = _guide[(int)(u * GuideSize)];
            while (k < cdf.Length && u >= cdf[k]) k++;
            if (k < cdf.Length) return offset + k;
            offset += cdf.Length; // u fell beyond the table: restart, the distribution is memoryless
        }
    }
}
