using System.Buffers;

namespace DropActivation.Kernels;

/// <summary>
/// The flat indices, per segment of the input, at which the ReLU Drop-Activation kernel let the
/// identity through although the nonlinearity would have changed the gradient (dropped and
/// x &lt;= 0). About (1-p)/2 of all elements: a small list instead of a dense mask. The arrays
/// come from the shared pool and go back to it after backward.
/// </summary>
internal sealed class DroppedPositions
{
    public DroppedPositions(int[][] segments, int[] counts)
    {
        Segments = segments;
        Counts = counts;
    }

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
