using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace DropActivation.Kernels;

/// <summary>
/// Samples G ~ Geometric: the number of kept elements before the next dropped one, when each
/// element is dropped independently with probability q = 1 - p, so P(G = k) = p^k q.
/// <para>
/// Exact inversion of the distribution function F(k) = 1 - p^(k+1) with a 53-bit uniform
/// number u, without a logarithm and almost without branches: the top 16 bits of u select one
/// of 65,536 cells; a cell that lies inside one step of F answers k at once, and only the few
/// cells that straddle a step of F (about 0.4% at p = 0.95) compare u with the table. Gaps
/// beyond the table use memorylessness: G = K + G' with G' drawn afresh, so the distribution is
/// exact at any length.
/// </para>
/// </summary>
internal sealed class GeometricGaps
{
    private const int CellBits = 16;
    private const int Cells = 1 << CellBits;
    private static readonly ConcurrentDictionary<double, GeometricGaps> Cache = new();

    private readonly double[] _cdf;
    // k >= 0: every u in the cell gives k. Negative: ~k0, the search for u starts at k0.
    private readonly int[] _cell;

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
        _cell = new int[Cells];
        int j = 0;
        for (int c = 0; c < Cells; c++)
        {
            double lo = (double)c / Cells, hi = (double)(c + 1) / Cells;
            while (j < length && _cdf[j] <= lo) j++; // first k with F(k) > lo
            _cell[c] = j < length && hi <= _cdf[j] ? j : ~Math.Min(j, length - 1);
        }
    }

    public double P { get; }

    /// <summary>The cells (for the native kernel, which walks the same table).</summary>
    internal int[] CellTable => _cell;

    /// <summary>F(k) = 1 - p^(k+1) for k below the table's length (for the native kernel).</summary>
    internal double[] Cdf => _cdf;

    /// <summary>The table for keep probability p (0 &lt; p &lt; 1), built once per p.</summary>
    public static GeometricGaps For(double p)
    {
        if (Cache.Count > 64) Cache.Clear();
        return Cache.GetOrAdd(p, static v => new GeometricGaps(v));
    }

    /// <summary>
    /// One geometric gap from a uniform stream, four gaps per 64-bit word: each gap takes the
    /// next 16 bits of the word as its cell. The rare straddling cell needs the value of u within
    /// the cell: a fresh word gives the 37 bits below the cell's 16 (u keeps 53 bits),
    /// which conditionally on the cell are uniform, so every gap is exactly geometric and the
    /// gaps stay independent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public long Next(ref Stream s)
    {
        if (s.Left == 0)
        {
            s.Word = s.Rng.Next();
            s.Left = 64 / CellBits;
        }
        int cell = (int)(s.Word >> (64 - CellBits));
        s.Word <<= CellBits;
        s.Left--;
        int e = _cell[cell];
        return e >= 0 ? e : Slow(ref s.Rng, ((ulong)cell << (64 - CellBits)) | (s.Rng.Next() >> CellBits), ~e);
    }

    /// <summary>A block's stream of gaps: its generator and the unused bits of the current word.</summary>
    public struct Stream
    {
        public SplitMix64 Rng;
        public ulong Word;
        public int Left;

        public Stream(ulong seed, ulong block)
        {
            Rng = new SplitMix64(seed, block);
            Word = 0;
            Left = 0;
        }
    }

    /// <summary>
    /// Inversion for a cell that straddles a step of F: r holds u's 53 bits on top (the cell
    /// in its top 16); the search starts at k. Gaps beyond the table restart with fresh words.
    /// </summary>
    private long Slow(ref SplitMix64 rng, ulong r, int k)
    {
        long offset = 0;
        var cdf = _cdf;
        while (true)
        {
            double u = (r >> 11) * (1.0 / (1UL << 53));
            while (k < cdf.Length && u >= cdf[k]) k++;
            if (k < cdf.Length) return offset + k;
            offset += cdf.Length; // u fell beyond the table: restart, the distribution is memoryless
            r = rng.Next();
            int e = _cell[(int)(r >> (64 - CellBits))];
            if (e >= 0) return offset + e;
            k = ~e;
        }
    }
}
