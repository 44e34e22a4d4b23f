using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// The fast CPU path of the paper's RReLU baseline (float32 and float64): y = x for x &gt;= 0 and
/// y = a·x with a ~ U(lower, upper) per element. The slopes are counter-based
/// (<see cref="CounterUniform"/>): backward recomputes them from the seed instead of keeping a
/// slope tensor, and tells x &gt;= 0 from x &lt; 0 by the sign of the output (exact for lower &gt; 0).
/// One sequential pass each way, chunk by chunk.
/// </summary>
internal static class RReluCpuKernel
{
    private const int Chunk = 1024;

    public static bool Supports(Tensor x, double lower) =>
        lower > 0 && ReluDropActCpuKernel.Supports(x);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe Tensor Forward(Tensor input, double lower, double upper, ulong seed)
    {
        using var x = input.contiguous();
        var y = torch.empty_like(x);
        int n = (int)x.numel();
        Span<float> slopes = stackalloc float[Chunk];
        if (x.dtype == ScalarType.Float32)
        {
            float* xp = (float*)Address(x), yp = (float*)Address(y);
            for (int c0 = 0; c0 < n; c0 += Chunk)
            {
                int len = Math.Min(Chunk, n - c0);
                CounterUniform.Fill(seed, c0, (float)lower, (float)upper, slopes[..len]);
                ScaleNegative(new ReadOnlySpan<float>(xp + c0, len), new ReadOnlySpan<float>(xp + c0, len), slopes[..len], new Span<float>(yp + c0, len));
            }
        }
        else
        {
            double* xp = (double*)Address(x), yp = (double*)Address(y);
            for (int c0 = 0; c0 < n; c0 += Chunk)
            {
                int len = Math.Min(Chunk, n - c0);
                CounterUniform.Fill(seed, c0, (float)lower, (float)upper, slopes[..len]);
                for (int k = 0; k < len; k++) { double v = xp[c0 + k]; yp[c0 + k] = v >= 0.0 ? v : v * slopes[k]; }
            }
        }
        return y;
    }

    /// <summary>grad_in = grad_out where y &gt;= 0 (x &gt;= 0), slope·grad_out where y &lt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe Tensor Backward(Tensor gradOutput, Tensor y, double lower, double upper, ulong seed)
    {
        using var g = gradOutput.contiguous();
        var gi = torch.empty_like(g);
        int n = (int)g.numel();
        Span<float> slopes = stackalloc float[Chunk];
        if (g.dtype == ScalarType.Float32)
        {
            float* gp = (float*)Address(g), yp = (float*)Address(y), op = (float*)Address(gi);
            for (int c0 = 0; c0 < n; c0 += Chunk)
            {
                int len = Math.Min(Chunk, n - c0);
                CounterUniform.Fill(seed, c0, (float)lower, (float)upper, slopes[..len]);
                ScaleNegative(new ReadOnlySpan<float>(yp + c0, len), new ReadOnlySpan<float>(gp + c0, len), slopes[..len], new Span<float>(op + c0, len));
            }
        }
        else
        {
            double* gp = (double*)Address(g), yp = (double*)Address(y), op = (double*)Address(gi);
            for (int c0 = 0; c0 < n; c0 += Chunk)
            {
                int len = Math.Min(Chunk, n - c0);
                CounterUniform.Fill(seed, c0, (float)lower, (float)upper, slopes[..len]);
                for (int k = 0; k < len; k++) op[c0 + k] = yp[c0 + k] >= 0.0 ? gp[c0 + k] : gp[c0 + k] * slopes[k];
            }
        }
        return gi;
    }

    /// <summary>o = v where sign &gt;= 0, v·slope where sign &lt; 0 (SIMD, branch-free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleNegative(ReadOnlySpan<float> sign, ReadOnlySpan<float> v, ReadOnlySpan<float> slope, Span<float> o)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int w = System.Numerics.Vector<float>.Count;
            for (; i <= o.Length - w; i += w)
            {
                var sv = new System.Numerics.Vector<float>(sign[i..]);
                var vv = new System.Numerics.Vector<float>(v[i..]);
                var kv = new System.Numerics.Vector<float>(slope[i..]);
                System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThanOrEqual(sv, System.Numerics.Vector<float>.Zero), vv, vv * kv).CopyTo(o[i..]);
            }
        }
        for (; i < o.Length; i++) o[i] = sign[i] >= 0f ? v[i] : v[i] * slope[i];
    }

    private static unsafe void* Address(Tensor t) => Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
