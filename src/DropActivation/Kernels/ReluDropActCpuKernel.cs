using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// The fast CPU path of ReLU Drop-Activation (float32 and float64, contiguous memory).
/// <para>
/// Instead of one random number per element, it draws only the rare positions whose
/// nonlinearity is dropped (probability 1-p each, independently): the gaps between them are
/// geometric, Gap = floor(ln U / ln p), which is exactly the distribution of the number of
/// kept elements before the next dropped one. With p = 0.95 that is one logarithm per twenty
/// elements. The output starts as relu(x) and the dropped negative positions get x back.
/// </para>
/// <para>
/// The input is cut into fixed blocks of 65,536 elements, each with its own random stream
/// seeded from (call seed, block index), so the mask depends on the seed only, never on the
/// number of threads. Backward keeps the gradient where y &gt; 0 (x &gt; 0) and at the recorded
/// dropped positions; it saves the output (which the next layer saves anyway) and the index
/// list (about 2.5% of the elements at p = 0.95), never a dense mask.
/// </para>
/// </summary>
internal static class ReluDropActCpuKernel
{
    public const int BlockShift = 16;
    public const int BlockSize = 1 << BlockShift;

    public static bool Supports(Tensor x) =>
        x.device_type == DeviceType.CPU
        && (x.dtype == ScalarType.Float32 || x.dtype == ScalarType.Float64)
        && x.numel() > 0
        && x.numel() * x.ElementSize < int.MaxValue;

    /// <summary>Draws a fresh 64-bit seed from torch's default generator (so torch.manual_seed fixes it).</summary>
    public static ulong DrawSeed()
    {
        using var t = torch.randint(long.MaxValue, new long[] { 1 }, dtype: ScalarType.Int64);
        return unchecked((ulong)t.item<long>());
    }

    /// <summary>Training forward: returns y and the dropped non-positive positions.</summary>
    public static Tensor Forward(Tensor input, double p, ulong seed, out DroppedPositions dropped)
    {
        using var x = input.contiguous();
        var y = nn.functional.relu(x);
        long n = x.numel();
        int blocks = (int)((n + BlockSize - 1) >> BlockShift);
        int segments = Math.Max(1, Math.Min(Workers(n), blocks));
        var lists = new int[segments][];
        var counts = new int[segments];
        double invLogP = 1.0 / Math.Log(p);

        if (x.dtype == ScalarType.Float32)
        {
            var xs = x.bytes; var ys = y.bytes;
            unsafe
            {
                fixed (byte* xp = xs, yp = ys)
                {
                    float* xf = (float*)xp, yf = (float*)yp;
                    For(segments, s => DrawSegment(s, segments, blocks, n, seed, invLogP, p, lists, counts,
                        i => { float v = xf[i]; if (v <= 0f) { yf[i] = v; return true; } return false; }));
                }
            }
        }
        else
        {
            var xs = x.bytes; var ys = y.bytes;
            unsafe
            {
                fixed (byte* xp = xs, yp = ys)
                {
                    double* xd = (double*)xp, yd = (double*)yp;
                    For(segments, s => DrawSegment(s, segments, blocks, n, seed, invLogP, p, lists, counts,
                        i => { double v = xd[i]; if (v <= 0.0) { yd[i] = v; return true; } return false; }));
                }
            }
        }
        dropped = new DroppedPositions(lists, counts);
        return y;
    }

    /// <summary>The dense keep-mask (true = nonlinearity kept) that a seed gives, for tests and analysis.</summary>
    public static Tensor KeepMask(long[] shape, double p, ulong seed)
    {
        long n = 1; foreach (var d in shape) n *= d;
        var keep = torch.ones(shape, dtype: ScalarType.Bool);
        if (n == 0) return keep;
        var bytes = keep.bytes;
        unsafe
        {
            fixed (byte* kp = bytes)
            {
                byte* k = kp;
                int blocks = (int)((n + BlockSize - 1) >> BlockShift);
                double invLogP = 1.0 / Math.Log(p);
                for (int b = 0; b < blocks; b++)
                    VisitDropped(b, n, seed, invLogP, p, i => k[i] = 0);
            }
        }
        return keep;
    }

    private static unsafe void DrawSegment(int s, int segments, int blocks, long n, ulong seed, double invLogP, double p,
        int[][] lists, int[] counts, Func<int, bool> dropIfNonPositive)
    {
        int firstBlock = (int)((long)blocks * s / segments);
        int endBlock = (int)((long)blocks * (s + 1) / segments);
        long span = Math.Min(n, (long)endBlock << BlockShift) - ((long)firstBlock << BlockShift);
        // Expected (1-p)/2 hits; start with a little headroom and grow if a segment is unlucky.
        int capacity = (int)Math.Min(span, Math.Max(64, span * (1 - p) * 0.6 + 64));
        var list = new int[capacity];
        int count = 0;
        for (int b = firstBlock; b < endBlock; b++)
        {
            VisitDropped(b, n, seed, invLogP, p, i =>
            {
                if (dropIfNonPositive(i))
                {
                    if (count == list.Length) Array.Resize(ref list, Math.Max(16, list.Length * 2));
                    list[count++] = i;
                }
            });
        }
        lists[s] = list;
        counts[s] = count;
    }

    /// <summary>Calls <paramref name="onDropped"/> for every position of block b whose nonlinearity is dropped.</summary>
    private static void VisitDropped(int block, long n, ulong seed, double invLogP, double p, Action<int> onDropped)
    {
        long start = (long)block << BlockShift;
        long end = Math.Min(n, start + BlockSize);
        if (p <= 0.0)
        {
            for (long i = start; i < end; i++) onDropped((int)i);
            return;
        }
        var rng = new SplitMix64(seed, (ulong)block);
        long pos = start - 1;
        while (true)
        {
            double gap = Math.Floor(Math.Log(rng.NextDoubleOpenZero()) * invLogP);
            if (gap >= end - pos - 1) break;
            pos += (long)gap + 1;
            onDropped((int)pos);
        }
    }

    /// <summary>Backward: grad_in = grad_out where y &gt; 0 or at a dropped position, else 0.</summary>
    public static Tensor Backward(Tensor gradOutput, Tensor y, DroppedPositions dropped)
    {
        using var g = gradOutput.contiguous();
        var gi = torch.empty_like(g);
        long n = g.numel();
        int workers = Workers(n);
        if (g.dtype == ScalarType.Float32)
        {
            var gs = g.bytes; var ys = y.bytes; var os = gi.bytes;
            unsafe
            {
                fixed (byte* gp = gs, yp = ys, op = os)
                {
                    float* gf = (float*)gp, yf = (float*)yp, of = (float*)op;
                    For(workers, w =>
                    {
                        long lo = n * w / workers, hi = n * (w + 1) / workers;
                        MaskPositive(new ReadOnlySpan<float>(gf + lo, (int)(hi - lo)), new ReadOnlySpan<float>(yf + lo, (int)(hi - lo)), new Span<float>(of + lo, (int)(hi - lo)));
                    });
                    For(dropped.Segments.Length, s =>
                    {
                        var list = dropped.Segments[s];
                        for (int k = 0, c = dropped.Counts[s]; k < c; k++) { int i = list[k]; of[i] = gf[i]; }
                    });
                }
            }
        }
        else
        {
            var gs = g.bytes; var ys = y.bytes; var os = gi.bytes;
            unsafe
            {
                fixed (byte* gp = gs, yp = ys, op = os)
                {
                    double* gd = (double*)gp, yd = (double*)yp, od = (double*)op;
                    For(workers, w =>
                    {
                        long lo = n * w / workers, hi = n * (w + 1) / workers;
                        MaskPositive(new ReadOnlySpan<double>(gd + lo, (int)(hi - lo)), new ReadOnlySpan<double>(yd + lo, (int)(hi - lo)), new Span<double>(od + lo, (int)(hi - lo)));
                    });
                    For(dropped.Segments.Length, s =>
                    {
                        var list = dropped.Segments[s];
                        for (int k = 0, c = dropped.Counts[s]; k < c; k++) { int i = list[k]; od[i] = gd[i]; }
                    });
                }
            }
        }
        return gi;
    }

    /// <summary>o = g where y &gt; 0, else 0 (SIMD).</summary>
    private static void MaskPositive<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> o) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var gv = MemoryMarshal.Cast<T, Vector<T>>(g);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            var ov = MemoryMarshal.Cast<T, Vector<T>>(o);
            for (int v = 0; v < ov.Length; v++)
                ov[v] = Vector.ConditionalSelect(Vector.GreaterThan(yv[v], Vector<T>.Zero), gv[v], Vector<T>.Zero);
            i = ov.Length * Vector<T>.Count;
        }
        for (; i < o.Length; i++) o[i] = y[i] > T.Zero ? g[i] : T.Zero;
    }

    /// <summary>How many threads to use for n elements: torch's thread count, one per 64K elements at most.</summary>
    internal static int Workers(long n)
    {
        int threads = Math.Max(1, Math.Min(torch.get_num_threads(), Environment.ProcessorCount));
        return (int)Math.Max(1, Math.Min(threads, n / BlockSize));
    }

    internal static void For(int count, Action<int> body)
    {
        if (count == 1) { body(0); return; }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, body);
    }
}
