using DropActivation.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Data;

/// <summary>
/// An image-classification data set held in memory as one compact uint8 tensor (N×C×H×W) and a
/// label array: what the readers of MNIST, Fashion-MNIST, EMNIST, CIFAR, SVHN and the UCI digits
/// return. Owns <see cref="Images"/>; dispose it to free the memory at once.
/// </summary>
public sealed class ImageDataset : IDataSource, IDisposable
{
    private readonly nint _address;
    private readonly int _imageBytes;

    /// <summary>
    /// Wraps <paramref name="images"/> (uint8, N×C×H×W, contiguous CPU; ownership passes to the
    /// data set) and <paramref name="labels"/> (length N, each in [0, classNames.Count)).
    /// </summary>
    public ImageDataset(string name, Tensor images, long[] labels, IReadOnlyList<string> classNames, int pixelMax = 255,
        long[]? coarseLabels = null, IReadOnlyList<string>? coarseClassNames = null)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException($"images must be a uint8 N×C×H×W tensor, got {images.dtype} [{string.Join(",", images.shape)}]", nameof(images));
        if (images.shape[0] != labels.Length)
            throw new ArgumentException($"{images.shape[0]} images but {labels.Length} labels", nameof(labels));
        if (coarseLabels is not null && coarseLabels.Length != labels.Length)
            throw new ArgumentException("coarse labels must match the fine labels in number", nameof(coarseLabels));
        foreach (var l in labels)
            if (l < 0 || l >= classNames.Count) throw new ArgumentException($"label {l} outside [0, {classNames.Count})", nameof(labels));
        Name = name;
        Images = images.contiguous();
        Labels = labels;
        ClassNames = classNames;
        PixelMax = pixelMax;
        CoarseLabels = coarseLabels;
        CoarseClassNames = coarseClassNames;
        Channels = (int)images.shape[1];
        FixedSize = ((int)images.shape[2], (int)images.shape[3]);
        _imageBytes = checked(Channels * (int)images.shape[2] * (int)images.shape[3]);
        _address = TensorMemory.Address(Images);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The image folder or archive the images were decoded from (<see cref="Readers.PackedImageFolder"/>), else null.</summary>
    public string? Origin { get; init; }

    /// <summary>All images, uint8 N×C×H×W.</summary>
    public Tensor Images { get; }

    /// <summary>Class index per image.</summary>
    public long[] Labels { get; }

    /// <summary>Coarse (super-class) labels where the format has them (CIFAR-100's 20 super-classes), else null.</summary>
    public long[]? CoarseLabels { get; }

    /// <summary>Names of the coarse classes, or null.</summary>
    public IReadOnlyList<string>? CoarseClassNames { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public int PixelMax { get; }

    /// <inheritdoc />
    public int Count => Labels.Length;

    /// <inheritdoc />
    public int Channels { get; }

    /// <inheritdoc />
    public (int Height, int Width)? FixedSize { get; }

    /// <summary>Image height.</summary>
    public int Height => FixedSize!.Value.Height;

    /// <summary>Image width.</summary>
    public int Width => FixedSize!.Value.Width;

    /// <inheritdoc />
    public long GetLabel(int index) => Labels[index];

    /// <summary>The uint8 pixels of one image (C·H·W bytes, planar), without copying.</summary>
    public unsafe ReadOnlySpan<byte> ImageSpan(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return new ReadOnlySpan<byte>((byte*)_address + (long)index * _imageBytes, _imageBytes);
    }

    /// <inheritdoc />
    public void ReadImage(int index, ImageBuffer into)
    {
        var dst = into.Reset(Channels, Height, Width);
        ImageSpan(index).CopyTo(dst);
    }

    /// <summary>Number of images per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var l in Labels) counts[l]++;
        return counts;
    }

    /// <summary>Frees the image tensor.</summary>
    public void Dispose() => Images.Dispose();
}
