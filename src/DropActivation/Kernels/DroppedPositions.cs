using System.Collections.Concurrent;
using System.Numerics;

namespace DropActivation.Kernels;

/// <summary>
/// The flat indices, per segment of the input, at which the ReLU Drop-Activation kernel let the
/// identity through where the output alone cannot tell backward so: dropped positions with
/// x = ±0, whose output 0 looks like a kept negative one. Real activations almost never hold an
/// exact zero, so the list is almost always empty.
/// <para>
/// The arrays come from a pool of this type's own and go back to it after backward. A network
/// holds one list per layer from forward to backward, more than the shared
/// <see cref="System.Buffers.ArrayPool{T}"/> keeps per size: it kept allocating fresh
/// large-object arrays every step, thousands of page faults per step on PreResNet-20.
/// </para>
/// </summary>
internal sealed class DroppedPositions
{
    private const int MinBucket = 8;           // 256 ints
    private const int MaxBucket = 30;
    private const int KeptPerBucket = 128;
    private static readonly ConcurrentStack<int[]>[] Pool =
        Enumerable.Range(0, MaxBucket + 1).Select(_ => new ConcurrentStack<int[]>()).ToArray();

    public DroppedPositions(int[][] segments, int[] counts)
    {
        Segments = segments;
        Counts = counts;
    }

    /// <summary>No positions at all (nothing to return to the pool).</summary>
    public static DroppedPositions None => new(Array.Empty<int[]>(), Array.Empty<int>());

    public int[][] Segments { get; private set; }
    public int[] Counts { get; }

    public long Total => Counts.Sum(c => (long)c);

    /// <summary>An array of at least <paramref name="length"/> ints (a power of two), reused when one is free.</summary>
    public static int[] Rent(int length)
    {
        int bucket = Math.Max(MinBucket, 32 - BitOperations.LeadingZeroCount((uint)Math.Max(1, length - 1)));
        if (bucket > MaxBucket) return new int[length];
        return Pool[bucket].TryPop(out var array) ? array : new int[1 << bucket];
    }

    /// <summary>Gives an array from <see cref="Rent"/> back.</summary>
    public static void Return(int[] array)
    {
        if (!BitOperations.IsPow2(array.Length)) return;
        int bucket = BitOperations.Log2((uint)array.Length);
        if (bucket < MinBucket || bucket > MaxBucket) return;
        var stack = Pool[bucket];
        if (stack.Count < KeptPerBucket) stack.Push(array);
    }

    /// <summary>Returns the index arrays to the pool; the positions are unusable afterwards.</summary>
    public void Release()
    {
        foreach (var list in Segments) Return(list);
        Segments = Array.Empty<int[]>();
    }
}
