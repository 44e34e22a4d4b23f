using static TorchSharp.torch;

namespace DropActivation.Data.Loading;

/// <summary>
/// One ready batch: float32 images B×C×H×W (augmented, normalised), int64 labels B, and the
/// source indices. The tensors are created on the loader's thread, outside any dispose scope of
/// the consumer: dispose the batch when done (or move its tensors into a scope).
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor images, Tensor labels, int[] indices, int epoch, int index)
    {
        Images = images; Labels = labels; Indices = indices; Epoch = epoch; Index = index;
    }

    /// <summary>Images, float32 B×C×H×W on the CPU.</summary>
    public Tensor Images { get; }

    /// <summary>Class labels, int64 B.</summary>
    public Tensor Labels { get; }

    /// <summary>Indices of the samples in the source.</summary>
    public int[] Indices { get; }

    /// <summary>Epoch the batch belongs to.</summary>
    public int Epoch { get; }

    /// <summary>Position of the batch in its epoch.</summary>
    public int Index { get; }

    /// <summary>Number of samples.</summary>
    public int Size => Indices.Length;

    /// <summary>Frees both tensors.</summary>
    public void Dispose() { Images.Dispose(); Labels.Dispose(); }
}
