using System.Runtime.CompilerServices;

namespace DropActivation.Kernels;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, statistically strong 64-bit generator.
/// The Drop-Activation kernels seed one stream per fixed block of elements from
/// (call seed, block index), so every mask depends only on the seed and the element
/// index: never on the number of threads or on scheduling.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed, ulong stream)
    {
        // Decorrelate neighbouring streams: hash the stream index into the starting state.
        _state = Mix(seed ^ Mix(stream + 0x632BE59BD9B4E019UL));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
