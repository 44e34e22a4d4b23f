using System.Numerics;
using System.Runtime.CompilerServices;
using DropActivation.Layout;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// The fast CPU path of the paper's RReLU baseline (float32, float64 and bfloat16, in any dense layout): y = x for
/// x &gt;= 0 and y = a·x with a ~ U(lower, upper) per element. The slopes are counter-based
/// (<see cref="CounterUniform"/>): backward recomputes them from the seed instead of keeping a
/// slope tensor, and tells x &gt;= 0 from x &lt; 0 by the sign of the output (exact for lower &gt; 0).
/// One sequential pass each way, chunk by chunk, in memory order (<see cref="MemoryOrder"/>): outputs and gradients
/// get the input's strides. bfloat16 is computed in float32 a chunk at a time and rounded to nearest even, as libtorch.
/// </summary>
internal static class RReluCpuKernel
{
    private const int Chunk = 1024;

    public static bool Supports(Tensor x, double lower) =>
        lower > 0 && ReluDropActCpuKernel.Supports(x);

    public static Tensor Forward(Tensor input, double lower, double upper, ulong seed)
    {
        using var x = MemoryOrder.Dense(input);
        var y = MemoryOrder.EmptyLike(x);
        ScaleNegative(x, x, y, lower, upper, seed);
        return y;
    }

    /// <summary>grad_in = grad_out where y &gt;= 0 (x &gt;= 0), slope·grad_out where y &lt; 0.</summary>
    public static Tensor Backward(Tensor gradOutput, Tensor y, double lower, double upper, ulong seed)
    {
        using var g = MemoryOrder.Like(gradOutput, y);
        var gi = MemoryOrder.EmptyLike(y);
        ScaleNegative(y, g, gi, lower, upper, seed);
        return gi;
    }

    /// <summary>output = value where sign &gt;= 0, value·slope where sign &lt; 0, the slopes drawn by memory position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScaleNegative(Tensor sign, Tensor value, Tensor output, double lower, double upper, ulong seed)
    {
        int n = (int)value.numel();
        var dtype = value.dtype;
        byte* sp = (byte*)MemoryOrder.Address(sign), vp = (byte*)MemoryOrder.Address(value), op = (byte*)MemoryOrder.Address(output);
        Span<float> slopes = stackalloc float[Chunk], s = stackalloc float[Chunk], v = stackalloc float[Chunk], o = stackalloc float[Chunk];
        for (int c0 = 0; c0 < n; c0 += Chunk)
        {
            int len = Math.Min(Chunk, n - c0);
            var k = slopes[..len];
            CounterUniform.Fill(seed, c0, (float)lower, (float)upper, k);
            if (dtype == ScalarType.Float32)
            {
                ScaleNegative(new ReadOnlySpan<float>((float*)sp + c0, len), new ReadOnlySpan<float>((float*)vp + c0, len), k, new Span<float>((float*)op + c0, len));
            }
            else if (dtype == ScalarType.Float64)
            {
                double* sd = (double*)sp + c0, vd = (double*)vp + c0, od = (double*)op + c0;
                for (int i = 0; i < len; i++) od[i] = sd[i] >= 0.0 ? vd[i] : vd[i] * k[i];
            }
            else
            {
                ushort* sb = (ushort*)sp + c0, vb = (ushort*)vp + c0, ob = (ushort*)op + c0;
                for (int i = 0; i < len; i++) { s[i] = FromBFloat16(sb[i]); v[i] = FromBFloat16(vb[i]); }
                ScaleNegative(s[..len], v[..len], k, o[..len]);
                for (int i = 0; i < len; i++) ob[i] = ToBFloat16(o[i]);
            }
        }
    }

    /// <summary>o = v where sign &gt;= 0, v·slope where sign &lt; 0 (SIMD, branch-free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleNegative(ReadOnlySpan<float> sign, ReadOnlySpan<float> v, ReadOnlySpan<float> slope, Span<float> o)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; i <= o.Length - w; i += w)
            {
                var sv = new Vector<float>(sign[i..]);
                var vv = new Vector<float>(v[i..]);
                var kv = new Vector<float>(slope[i..]);
                Vector.ConditionalSelect(Vector.GreaterThanOrEqual(sv, Vector<float>.Zero), vv, vv * kv).CopyTo(o[i..]);
            }
        }
        for (; i < o.Length; i++) o[i] = sign[i] >= 0f ? v[i] : v[i] * slope[i];
    }

    private static float FromBFloat16(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Round to nearest even, NaN to the quiet NaN 0x7FC0: c10::BFloat16's conversion.</summary>
    internal static ushort ToBFloat16(float value)
    {
        if (float.IsNaN(value)) return 0x7FC0;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }
}
