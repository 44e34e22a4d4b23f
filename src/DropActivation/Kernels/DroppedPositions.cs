using System.Buffers;

namespace DropActivation.Kernels;

/// <summary>
/// The flat indices, per segment of the input, at which the ReLU Drop-Activation kernel let the
/// identity through where the output alone cannot tell backward so: dropped positions with
/// x = ±0, whose output 0 looks like a kept negative one. Real activations almost never hold an
/// exact zero, so the lists are almost always empty. The arrays come from the shared pool and go
/// back to it after backward.
/// </summary>
internal sealed class DroppedPositions
{
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

    /// <summary>Returns the index arrays to the pool; the positions are unusable afterwards.</summary>
    public void Release()
    {
        foreach (var list in Segments) ArrayPool<int>.Shared.Return(list);
        Segments = Array.Empty<int[]>();
    }
}
