using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using DropActivation.Layout;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// The fast CPU path of ReLU Drop-Activation (float32, float64 and bfloat16, in any dense layout).
/// <para>
/// Instead of one random number per element it draws only the rare positions whose
/// nonlinearity is dropped (probability 1-p each, independently): the gaps between them are
/// geometric (<see cref="GeometricGaps"/>), 16 random bits per dropped element, one dropped
/// element per twenty at p = 0.95. One fused pass computes ReLU and, at the dropped positions,
/// the identity: the native loop (<see cref="NativeKernel"/>) on libtorch's OpenMP threads, or,
/// without the native library, libtorch's relu followed by a visit of the dropped positions here.
/// </para>
/// <para>
/// The input is cut into fixed blocks of 65,536 elements, each with its own random stream
/// seeded from (call seed, block index), so the mask depends on the seed only, never on the
/// number of threads. Backward keeps the gradient where y != 0, which is exactly where x &gt; 0
/// or the position was dropped, except for dropped exact zeros: one pass over the output (which
/// the next layer saves anyway), then the list of dropped positions with x = ±0 (almost always
/// empty), never a dense mask.
/// </para>
/// <para>
/// Positions are memory positions (<see cref="MemoryOrder"/>): a channels-last or otherwise permuted dense input is
/// walked in place and its output and gradient get its strides; the mask for a seed is the same wherever the layout is.
/// Both passes only select and copy elements, never round, so they work on the raw bits: bfloat16 as 16-bit words,
/// with no conversion of the tensor.
/// </para>
/// </summary>
internal static class ReluDropActCpuKernel
{
    public const int BlockShift = 16;
    public const int BlockSize = 1 << BlockShift;

    public static bool Supports(Tensor x) =>
        x.device_type == DeviceType.CPU
        && x.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16
        && x.numel() > 0
        && x.numel() * x.ElementSize < int.MaxValue;

    /// <summary>Draws a fresh 64-bit seed from torch's default generator (so torch.manual_seed fixes it).</summary>
    public static unsafe ulong DrawSeed()
    {
        // One reused cell per thread, refilled in place: no tensor is created per call.
        var cell = _seedCell ??= torch.zeros(1, dtype: ScalarType.Int64).DetachFromDisposeScope();
        using (torch.no_grad()) cell.random_(0, 4611686018427387904.0); // 62 random bits (2^62 is exact as a double)
        return unchecked((ulong)*(long*)MemoryOrder.Address(cell));
    }

    [ThreadStatic] private static Tensor? _seedCell;

    /// <summary>
    /// Training forward: y = relu(x) except at dropped non-positive positions, where y = x.
    /// With <paramref name="record"/>, also returns those positions for backward.
    /// <para>
    /// The native kernel does it in one parallel pass on libtorch's threads, with libtorch's split
    /// of the elements (so each thread finds its part of the input in its own cache). Without it,
    /// the dense part is libtorch's relu and only the dropped positions, one in twenty at
    /// p = 0.95, are visited here, the next ones prefetched.
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Forward(Tensor input, double p, ulong seed, bool record, out DroppedPositions? dropped) =>
        Forward(input, p, seed, record, NativeKernel.Available, out dropped);

    /// <summary>The forward with the native kernel allowed or not (tests compare the two).</summary>
    internal static unsafe Tensor Forward(Tensor input, double p, ulong seed, bool record, bool allowNative, out DroppedPositions? dropped)
    {
        using var x = MemoryOrder.Dense(input);
        var gaps = GeometricGaps.For(p);
        if (allowNative && NativeKernel.Available)
        {
            // One fused pass on libtorch's OpenMP threads; the dropped exact zeros, almost never
            // there, are collected afterwards by the managed walk over the same positions.
            var yn = MemoryOrder.EmptyLike(x);
            long zeros = NativeKernel.Forward(x.dtype, MemoryOrder.Address(x), MemoryOrder.Address(yn), x.numel(), seed, gaps);
            dropped = !record ? null : zeros == 0 ? DroppedPositions.None : VisitDropped(x, yn, gaps, seed, record: true);
            return yn;
        }
        var y = x.dtype == ScalarType.BFloat16 ? ReluBFloat16(x) : ReluKeepingLayout(x);
        dropped = VisitDropped(x, y, gaps, seed, record);
        return y;
    }

    private static Tensor ReluKeepingLayout(Tensor x)
    {
        using var relu = torch.nn.functional.relu(x);
        return MemoryOrder.Like(relu, x);
    }

    /// <summary>
    /// relu on bfloat16 words as the native kernel computes it: 0x8001..0xFF80 (negative, non-zero, not NaN) become
    /// +0, NaN keeps its bits (libtorch's vectorised bf16 relu rewrites them, its scalar tail does not).
    /// </summary>
    private static unsafe Tensor ReluBFloat16(Tensor x)
    {
        var y = MemoryOrder.EmptyLike(x);
        ushort* xp = (ushort*)MemoryOrder.Address(x), yp = (ushort*)MemoryOrder.Address(y);
        long n = x.numel(), i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (bias, limit) = (new Vector<ushort>(0x8001), new Vector<ushort>(0x7F80));
            for (; i <= n - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                var v = Vector.Load(xp + i);
                Vector.ConditionalSelect(Vector.LessThan(v - bias, limit), Vector<ushort>.Zero, v).Store(yp + i);
            }
        }
        for (; i < n; i++) yp[i] = (ushort)(xp[i] - 0x8001) < 0x7F80 ? (ushort)0 : xp[i];
        return y;
    }

    /// <summary>
    /// The managed pass over y = relu(x): y = x at the dropped positions (a no-op where it
    /// already holds), recording the dropped exact zeros when asked.
    /// </summary>
    private static unsafe DroppedPositions? VisitDropped(Tensor x, Tensor y, GeometricGaps gaps, ulong seed, bool record)
    {
        long n = x.numel();
        int blocks = (int)((n + BlockSize - 1) >> BlockShift);
        int segments = Math.Max(1, Math.Min(Workers(n), blocks));
        var lists = record ? new int[segments][] : null;
        var counts = record ? new int[segments] : null;
        nint xp = (nint)MemoryOrder.Address(x), yp = (nint)MemoryOrder.Address(y);
        long size = x.ElementSize;

        For(segments, s =>
        {
            int firstBlock = (int)((long)blocks * s / segments);
            int endBlock = (int)((long)blocks * (s + 1) / segments);
            int[]? list = record ? ArrayPool<int>.Shared.Rent(256) : null;
            int count = 0;
            var scratch = _positions ??= new int[BlockSize];
            fixed (int* positions = scratch)
            {
                for (int b = firstBlock; b < endBlock; b++)
                {
                    switch (size)
                    {
                        case 2: ForwardBlock((ushort*)xp, (ushort*)yp, b, n, seed, gaps, positions, ref list, ref count); break;
                        case 4: ForwardBlock((uint*)xp, (uint*)yp, b, n, seed, gaps, positions, ref list, ref count); break;
                        default: ForwardBlock((ulong*)xp, (ulong*)yp, b, n, seed, gaps, positions, ref list, ref count); break;
                    }
                }
            }
            if (record) { lists![s] = list!; counts![s] = count; }
        });
        return record ? new DroppedPositions(lists!, counts!) : null;
    }

    [ThreadStatic] private static int[]? _positions;

    /// <summary>How many dropped positions ahead the forward and backward passes prefetch.</summary>
    private const int PrefetchDistance = 16;

    /// <summary>
    /// One block over y = relu(x): y[i] = x[i] at the block's dropped positions (x &gt; 0 included,
    /// where it changes nothing), recording those where x[i] = ±0. The positions are drawn
    /// first, then visited with the lines of the one <see cref="PrefetchDistance"/> ahead
    /// requested, so the cache misses overlap instead of queueing. T is the element's bits (float as uint).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForwardBlock<T>(T* x, T* y, int block, long n, ulong seed, GeometricGaps gaps, int* positions, ref int[]? list, ref int count)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        var magnitude = T.AllBitsSet >>> 1;
        long start = (long)block << BlockShift;
        long end = Math.Min(n, start + BlockSize);
        var rng = new GeometricGaps.Stream(seed, (ulong)block);
        int m = 0;
        for (long pos = start + gaps.Next(ref rng); pos < end; pos += 1 + gaps.Next(ref rng)) positions[m++] = (int)pos;
        int ahead = Math.Min(m, PrefetchDistance);
        for (int j = 0; j < ahead; j++) Prefetch(x + positions[j], y + positions[j]);
        if (list is null)
        {
            for (int j = 0; j < m; j++)
            {
                if (j + PrefetchDistance < m) Prefetch(x + positions[j + PrefetchDistance], y + positions[j + PrefetchDistance]);
                int i = positions[j];
                y[i] = x[i];
            }
            return;
        }
        if (count + m > list.Length) Grow(ref list, count + m);
        int[] recorded = list!;
        for (int j = 0; j < m; j++)
        {
            if (j + PrefetchDistance < m) Prefetch(x + positions[j + PrefetchDistance], y + positions[j + PrefetchDistance]);
            int i = positions[j];
            T v = x[i];
            y[i] = v;
            // Backward passes the gradient wherever y != 0, which covers every dropped position
            // but those with x = ±0: only they are recorded (write always, advance if zero).
            recorded[count] = i;
            bool zero = (v & magnitude) == T.Zero;
            count += *(byte*)&zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(void* a, void* b)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(a);
            Sse.Prefetch0(b);
        }
    }

    /// <summary>
    /// The dense keep-mask (true = nonlinearity kept) that a seed gives, for tests and analysis, by memory position:
    /// for a non-contiguous dense input, lay it out with the input's strides (<c>as_strided</c>).
    /// </summary>
    public static unsafe Tensor KeepMask(long[] shape, double p, ulong seed)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        var keep = torch.ones(shape, dtype: ScalarType.Bool);
        if (n == 0 || p == 1.0) return keep;
        byte* k = (byte*)MemoryOrder.Address(keep);
        var gaps = p > 0.0 ? GeometricGaps.For(p) : null;
        int blocks = (int)((n + BlockSize - 1) >> BlockShift);
        for (int b = 0; b < blocks; b++)
        {
            long start = (long)b << BlockShift, end = Math.Min(n, start + BlockSize);
            if (gaps is null) { for (long i = start; i < end; i++) k[i] = 0; continue; }
            var rng = new GeometricGaps.Stream(seed, (ulong)b);
            for (long pos = start + gaps.Next(ref rng); pos < end; pos += 1 + gaps.Next(ref rng)) k[pos] = 0;
        }
        return keep;
    }

    private static void Grow(ref int[]? list, int needed)
    {
        var bigger = ArrayPool<int>.Shared.Rent(Math.Max(needed, list!.Length * 2));
        Array.Copy(list, bigger, list.Length);
        ArrayPool<int>.Shared.Return(list);
        list = bigger;
    }

    /// <summary>
    /// Backward: grad_in = grad_out except where y &lt;= 0 and not dropped, where it is 0.
    /// A kept position has y = relu(x), so y != 0 exactly where x &gt; 0 (or NaN); a dropped one
    /// has y = x, so y != 0 unless x = ±0. One pass keeps the gradient where y != 0 (the native
    /// loop on libtorch's threads, else a SIMD loop here); the recorded dropped zeros, almost
    /// always none, then get theirs back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Backward(Tensor gradOutput, Tensor y, DroppedPositions dropped) =>
        Backward(gradOutput, y, dropped, NativeKernel.Available);

    /// <summary>The backward with the native kernel allowed or not (tests compare the two).</summary>
    internal static unsafe Tensor Backward(Tensor gradOutput, Tensor y, DroppedPositions dropped, bool allowNative)
    {
        using var g = MemoryOrder.Like(gradOutput, y);
        var gi = MemoryOrder.EmptyLike(y);
        nint gp = (nint)MemoryOrder.Address(g), yp = (nint)MemoryOrder.Address(y), op = (nint)MemoryOrder.Address(gi);
        long n = g.numel();
        long size = g.ElementSize;
        if (allowNative && NativeKernel.Available)
            NativeKernel.Backward(g.dtype, (void*)gp, (void*)yp, (void*)op, n);
        else
        {
            int workers = Workers(n);
            For(workers, w =>
            {
                long lo = n * w / workers;
                int length = (int)(n * (w + 1) / workers - lo);
                switch (size)
                {
                    case 2: MaskNonzero((ushort*)gp + lo, (ushort*)yp + lo, (ushort*)op + lo, length); break;
                    case 4: MaskNonzero((uint*)gp + lo, (uint*)yp + lo, (uint*)op + lo, length); break;
                    default: MaskNonzero((ulong*)gp + lo, (ulong*)yp + lo, (ulong*)op + lo, length); break;
                }
            });
        }
        if (dropped.Total == 0) return gi;
        For(dropped.Segments.Length, s =>
        {
            switch (size)
            {
                case 2: Restore((ushort*)gp, (ushort*)op, dropped.Segments[s], dropped.Counts[s]); break;
                case 4: Restore((uint*)gp, (uint*)op, dropped.Segments[s], dropped.Counts[s]); break;
                default: Restore((ulong*)gp, (ulong*)op, dropped.Segments[s], dropped.Counts[s]); break;
            }
        });
        return gi;
    }

    /// <summary>o = g where y != ±0 (NaN included), else +0 (SIMD), on the elements' bits: zero is a zero magnitude.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaskNonzero<T>(T* g, T* y, T* o, int length) where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        var magnitude = T.AllBitsSet >>> 1;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<T>.Count;
            var mask = new Vector<T>(magnitude);
            for (; i <= length - width; i += width)
            {
                var isZero = Vector.Equals(Vector.Load(y + i) & mask, Vector<T>.Zero);
                Vector.ConditionalSelect(isZero, Vector<T>.Zero, Vector.Load(g + i)).Store(o + i);
            }
        }
        for (; i < length; i++) o[i] = (y[i] & magnitude) == T.Zero ? T.Zero : g[i];
    }

    /// <summary>o[i] = g[i] at the listed positions, prefetching ahead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Restore<T>(T* g, T* o, int[] positions, int count) where T : unmanaged
    {
        for (int j = 0; j < Math.Min(count, PrefetchDistance); j++) Prefetch(g + positions[j], o + positions[j]);
        for (int j = 0; j < count; j++)
        {
            if (j + PrefetchDistance < count) Prefetch(g + positions[j + PrefetchDistance], o + positions[j + PrefetchDistance]);
            int i = positions[j];
            o[i] = g[i];
        }
    }

    /// <summary>
    /// Upper bound on the managed kernel's .NET threads (the native kernel uses libtorch's
    /// OpenMP threads instead); 0 = torch's thread count. Default 1: inside a network, .NET
    /// thread-pool workers compete with libtorch's OpenMP threads, which spin between the layers
    /// around this one; measured on PreResNet-20 (2 cores), one thread made the training step
    /// 1.27-1.34x ReLU against 1.63-1.68x with two (same process, interleaved).
    /// </summary>
    internal static int MaxWorkers { get; set; } = 1;

    /// <summary>How many threads to use for n elements: torch's thread count, one per 64K elements at most.</summary>
    internal static int Workers(long n)
    {
        int threads = MaxWorkers > 0 ? MaxWorkers : Math.Max(1, Math.Min(torch.get_num_threads(), Environment.ProcessorCount));
        return (int)Math.Max(1, Math.Min(threads, n / BlockSize));
    }

    internal static void For(int count, Action<int> body)
    {
        if (count == 1) { body(0); return; }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, body);
    }
}
