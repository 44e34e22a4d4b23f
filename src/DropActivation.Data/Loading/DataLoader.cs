using System.Collections.Concurrent;
using System.Threading.Channels;
using DropActivation.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Data.Loading;

/// <summary>
/// Batches a data source for training or evaluation. Each epoch's order is a permutation drawn
/// from (seed, epoch), so a resumed run sees the same order; every image is augmented with its own
/// generator seeded from (seed, epoch, sample index), so results do not depend on the number of
/// threads. A background producer builds batches (decoding and augmenting the images of a batch in
/// parallel) up to <see cref="Prefetch"/> batches ahead, and hands the consumer ready tensors.
/// </summary>
public sealed class DataLoader : IDisposable
{
    private readonly ConcurrentBag<ImageBuffer> _buffers = new();
    private readonly float[] _normTable;
    private readonly (int C, int H, int W) _shape;

    /// <summary>
    /// Creates a loader over <paramref name="source"/> with <paramref name="pipeline"/>.
    /// <paramref name="workers"/> threads augment (0: all processors); <paramref name="prefetch"/>
    /// batches are built ahead of the consumer.
    /// </summary>
    public DataLoader(IDataSource source, AugmentPipeline pipeline, int batchSize, bool shuffle = true, ulong seed = 0,
        bool dropLast = false, int workers = 0, int prefetch = 2)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize));
        if (prefetch <= 0) throw new ArgumentOutOfRangeException(nameof(prefetch));
        if (source.Count == 0) throw new ArgumentException($"{source.Name} is empty", nameof(source));
        Source = source; Pipeline = pipeline; BatchSize = batchSize; Shuffle = shuffle; Seed = seed; DropLast = dropLast;
        Workers = workers > 0 ? workers : Environment.ProcessorCount;
        Prefetch = prefetch;
        _shape = pipeline.OutputShape(source)
            ?? throw new ArgumentException($"the images of {source.Name} vary in size; the pipeline needs a crop or resize to a fixed size", nameof(pipeline));
        _normTable = pipeline.Normalization.Table(source.Channels, source.PixelMax);
    }

    /// <summary>The data.</summary>
    public IDataSource Source { get; }

    /// <summary>The per-image augmentation.</summary>
    public AugmentPipeline Pipeline { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of shuffling and augmentation.</summary>
    public ulong Seed { get; }

    /// <summary>Whether a last, incomplete batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>
    /// Whether batches come in channels-last memory order (shape N×C×H×W, NHWC strides), written so by the workers that
    /// augment them, so the training thread has no layout to convert. Values are the same either way.
    /// </summary>
    public bool ChannelsLast { get; init; }

    [ThreadStatic] private static float[]? t_planar;

    /// <summary>Threads that augment a batch.</summary>
    public int Workers { get; }

    /// <summary>Batches built ahead of the consumer.</summary>
    public int Prefetch { get; }

    /// <summary>Shape C×H×W of one output image.</summary>
    public (int Channels, int Height, int Width) ImageShape => _shape;

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => DropLast ? Source.Count / BatchSize : (Source.Count + BatchSize - 1) / BatchSize;

    /// <summary>The order of the samples in epoch <paramref name="epoch"/> (identity when not shuffling).</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, Source.Count).ToArray();
        if (Shuffle)
        {
            var rng = AugmentRandom.For(Seed, 0x0_5_4_F_F_1_E, (ulong)epoch);
            rng.Shuffle(order.AsSpan());
        }
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, produced in the background. Stopping early
    /// (break, exception, dispose of the enumerator) stops the producer and frees unconsumed batches.
    /// An error reading or augmenting an image surfaces here, on the consumer's thread.
    /// With <paramref name="firstBatch"/>, the epoch starts at that batch (0-based) without reading the ones
    /// before it: order and augmentation are functions of (seed, epoch, index), so batch b is the same either way.
    /// </summary>
    public IEnumerable<Batch> GetEpoch(int epoch, int firstBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        var order = Order(epoch);
        int batches = BatchesPerEpoch;
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(Prefetch)
        { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var cts = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            try
            {
                for (int b = firstBatch; b < batches; b++)
                {
                    cts.Token.ThrowIfCancellationRequested();
                    int start = b * BatchSize, n = Math.Min(BatchSize, order.Length - start);
                    var batch = BuildBatch(order.AsSpan(start, n).ToArray(), epoch, b, cts.Token);
                    try { await channel.Writer.WriteAsync(batch, cts.Token).ConfigureAwait(false); }
                    catch { batch.Dispose(); throw; }
                }
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException : e);
            }
        });
        try
        {
            while (WaitToRead(channel.Reader))
                while (channel.Reader.TryRead(out var batch))
                    yield return batch;
        }
        finally
        {
            cts.Cancel();
            try { producer.Wait(); } catch (AggregateException) { }
            while (channel.Reader.TryRead(out var left)) left.Dispose();
        }
    }

    private static bool WaitToRead(ChannelReader<Batch> reader)
    {
        var t = reader.WaitToReadAsync();
        return t.IsCompletedSuccessfully ? t.Result : t.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Builds one batch of the given source indices synchronously (with the loader's seed and <paramref name="epoch"/>).</summary>
    public Batch LoadBatch(int[] indices, int epoch = 0) => BuildBatch(indices, epoch, 0, CancellationToken.None);

    private unsafe Batch BuildBatch(int[] indices, int epoch, int index, CancellationToken ct)
    {
        var (c, h, w) = _shape;
        int per = c * h * w;
        // Written in memory order (N×C×H×W, or N×H×W×C seen as N×C×H×W through its strides).
        using var memory = torch.empty(ChannelsLast ? [indices.Length, h, w, c] : [indices.Length, c, h, w], dtype: ScalarType.Float32);
        var images = ChannelsLast ? memory.permute(0, 3, 1, 2) : memory.alias();
        try
        {
            nint address = TensorMemory.Address(memory);
            var labels = new long[indices.Length];
            var options = new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = ct };
            Parallel.For(0, indices.Length, options,
                () => _buffers.TryTake(out var b) ? b : new ImageBuffer(),
                (k, _, buffer) =>
                {
                    int i = indices[k];
                    labels[k] = Source.GetLabel(i);
                    Source.ReadImage(i, buffer);
                    var rng = AugmentRandom.For(Seed, (ulong)epoch, (ulong)i);
                    var image = new Span<float>((float*)address + (long)k * per, per);
                    if (!ChannelsLast) Pipeline.Apply(buffer, ref rng, _normTable, image);
                    else
                    {
                        var planar = t_planar is { } t && t.Length >= per ? t : t_planar = new float[per];
                        Pipeline.Apply(buffer, ref rng, _normTable, planar.AsSpan(0, per));
                        Interleave(planar, image, c, h * w);
                    }
                    return buffer;
                },
                buffer => _buffers.Add(buffer));
            return new Batch(images, torch.tensor(labels, dtype: ScalarType.Int64), indices, epoch, index);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            images.Dispose();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        catch { images.Dispose(); throw; }
    }

    /// <summary>One image from planar (C×H×W) to interleaved (H×W×C) order.</summary>
    private static void Interleave(ReadOnlySpan<float> planar, Span<float> interleaved, int channels, int plane)
    {
        for (int ch = 0; ch < channels; ch++)
        {
            var source = planar.Slice(ch * plane, plane);
            for (int i = 0; i < plane; i++) interleaved[i * channels + ch] = source[i];
        }
    }

    /// <summary>Releases pooled buffers. Epochs still being enumerated stop when their enumerators are disposed.</summary>
    public void Dispose() => _buffers.Clear();
}
