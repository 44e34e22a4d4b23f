using DropActivation.Data.Augmentation;

namespace DropActivation.Data.Inspection;

/// <summary>Counts per class and per-channel mean/std (in [0, 1] units) of a data source.</summary>
public sealed record DataStatistics(string Name, int Count, IReadOnlyList<int> ClassCounts, int Channels, (int Height, int Width)? FixedSize,
    double[] ChannelMean, double[] ChannelStd, int ImagesMeasured)
{
    /// <summary>
    /// Computes the statistics. All labels are counted; pixel statistics use every image, or
    /// <paramref name="maxImages"/> evenly spaced ones when the source is larger (image folders).
    /// </summary>
    public static DataStatistics Compute(IDataSource source, int maxImages = int.MaxValue, int workers = 0)
    {
        var counts = new int[source.ClassNames.Count];
        for (int i = 0; i < source.Count; i++) counts[source.GetLabel(i)]++;
        int m = Math.Min(source.Count, maxImages);
        int c = source.Channels;
        var sum = new double[c];
        var sq = new double[c];
        long pixels = 0;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount };
        int chunks = Math.Min(m, 64);
        Parallel.For(0, chunks, options, chunk =>
        {
            var buffer = new ImageBuffer();
            var s = new long[c];
            var q = new long[c];
            long px = 0;
            for (int j = (int)((long)m * chunk / chunks); j < (int)((long)m * (chunk + 1) / chunks); j++)
            {
                int i = m == source.Count ? j : (int)((long)j * source.Count / m);
                if (source is ImageDataset ds)
                {
                    var span = ds.ImageSpan(i);
                    int plane = span.Length / c;
                    for (int k = 0; k < c; k++) Accumulate(span.Slice(k * plane, plane), ref s[k], ref q[k]);
                    px += plane;
                }
                else
                {
                    source.ReadImage(i, buffer);
                    for (int k = 0; k < c; k++) Accumulate(buffer.Plane(k), ref s[k], ref q[k]);
                    px += buffer.PlaneSize;
                }
            }
            lock (gate)
            {
                for (int k = 0; k < c; k++) { sum[k] += s[k]; sq[k] += q[k]; }
                pixels += px;
            }
        });
        var mean = new double[c];
        var std = new double[c];
        double scale = source.PixelMax;
        for (int k = 0; k < c; k++)
        {
            double mu = sum[k] / pixels;
            mean[k] = mu / scale;
            std[k] = Math.Sqrt(Math.Max(0, sq[k] / pixels - mu * mu)) / scale;
        }
        return new DataStatistics(source.Name, source.Count, counts, c, source.FixedSize, mean, std, m);
    }

    private static void Accumulate(ReadOnlySpan<byte> plane, ref long sum, ref long sumSq)
    {
        long s = 0, q = 0;
        foreach (var v in plane) { s += v; q += v * v; }
        sum += s; sumSq += q;
    }
}
