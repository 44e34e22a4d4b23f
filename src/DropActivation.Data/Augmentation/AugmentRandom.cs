using System.Runtime.CompilerServices;

namespace DropActivation.Data.Augmentation;

/// <summary>
/// A small, fast, deterministic generator (SplitMix64) for per-image augmentation. Seeded from
/// (seed, epoch, sample index), so an image's augmentation never depends on the thread or batch
/// that produced it, and a resumed run replays the same draws.
/// </summary>
public struct AugmentRandom
{
    private ulong _state;

    /// <summary>A generator whose stream is fixed by <paramref name="seed"/>.</summary>
    public AugmentRandom(ulong seed) { _state = seed; NextUInt64(); }

    /// <summary>The generator for sample <paramref name="index"/> in epoch <paramref name="epoch"/> of a run seeded by <paramref name="seed"/>.</summary>
    public static AugmentRandom For(ulong seed, ulong epoch, ulong index)
    {
        ulong s = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        s = Mix(s ^ (epoch * 0xD1B54A32D192ED03UL));
        s = Mix(s ^ (index * 0x8CB92BA72F3D8DD7UL));
        return new AugmentRandom(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double NextDouble(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
