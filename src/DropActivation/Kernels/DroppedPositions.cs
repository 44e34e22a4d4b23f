namespace DropActivation.Kernels;

/// <summary>
/// The flat indices, per segment of the input, at which the ReLU Drop-Activation kernel let the
/// identity through although the nonlinearity would have changed the gradient (dropped and
/// x &lt;= 0). About (1-p)/2 of all elements: a small list instead of a dense mask.
/// </summary>
internal sealed class DroppedPositions
{
    public DroppedPositions(int[][] segments, int[] counts)
    {
        Segments = segments;
        Counts = counts;
    }

    public int[][] Segments { get; }
    public int[] Counts { get; }

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var c in Counts) total += c;
            return total;
        }
    }
}
