using System.Numerics;
using System.Runtime.CompilerServices;

namespace DropActivation.Kernels;

/// <summary>
/// Counter-based uniform numbers: U(i) in [0, 1) is a hash of (seed, element index i), so the same
/// number can be recomputed in backward instead of being stored, and results depend on neither
/// the order nor the thread that computes them. Two rounds of Wellons' "lowbias32" mixer
/// (measured bias far below what any test here resolves), 24-bit uniforms, 8 lanes at a time.
/// </summary>
internal static class CounterUniform
{
    private const uint M1 = 0x7feb352dU, M2 = 0x846ca68bU;
    private const float Scale = 1f / (1 << 24);

    /// <summary>Fills <paramref name="output"/> with U(start), U(start+1), … mapped to [lower, upper).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(ulong seed, int start, float lower, float upper, Span<float> output)
    {
        uint s1 = (uint)seed, s2 = (uint)(seed >> 32);
        float width = (upper - lower) * Scale;
        int i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<uint>.Count)
        {
            int lanes = Vector<uint>.Count;
            Span<uint> offsets = stackalloc uint[lanes];
            for (int k = 0; k < lanes; k++) offsets[k] = (uint)k;
            var step = new Vector<uint>(offsets);
            var vs1 = new Vector<uint>(s1);
            var vs2 = new Vector<uint>(s2);
            var vlower = new Vector<float>(lower);
            var vwidth = new Vector<float>(width);
            for (; i <= output.Length - lanes; i += lanes)
            {
                var h = (new Vector<uint>((uint)(start + i)) + step) ^ vs1;
                h = Mix(h) + vs2;
                h = Mix(h);
                var u = Vector.ConvertToSingle(Vector.ShiftRightLogical(h, 8));
                (vlower + u * vwidth).CopyTo(output[i..]);
            }
        }
        for (; i < output.Length; i++)
            output[i] = lower + (Mix(Mix((uint)(start + i) ^ s1) + s2) >> 8) * width;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> Mix(Vector<uint> x)
    {
        x ^= Vector.ShiftRightLogical(x, 16);
        x *= new Vector<uint>(M1);
        x ^= Vector.ShiftRightLogical(x, 15);
        x *= new Vector<uint>(M2);
        return x ^ Vector.ShiftRightLogical(x, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= M1;
        x ^= x >> 15;
        x *= M2;
        return x ^ (x >> 16);
    }
}
