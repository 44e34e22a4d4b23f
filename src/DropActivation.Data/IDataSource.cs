namespace DropActivation.Data;

/// <summary>
/// An indexable image-classification data set: in memory (<see cref="ImageDataset"/>), decoded
/// lazily from files (<see cref="Readers.ImageFolderDataset"/>), or a view of another
/// (<see cref="SubsetSource"/>, <see cref="ConcatSource"/>). Implementations must allow
/// <see cref="ReadImage"/> to be called from several threads at once.
/// </summary>
public interface IDataSource
{
    /// <summary>A short name for messages ("cifar10/train").</summary>
    string Name { get; }

    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Channels of every image (1 or 3).</summary>
    int Channels { get; }

    /// <summary>Height and width shared by all images, or null when they vary (image folders).</summary>
    (int Height, int Width)? FixedSize { get; }

    /// <summary>Class names; the label of a sample indexes this list.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Largest pixel value of the stored format: 255, or 16 for the UCI digits.</summary>
    int PixelMax { get; }

    /// <summary>Class index of sample <paramref name="index"/>.</summary>
    long GetLabel(int index);

    /// <summary>Writes sample <paramref name="index"/> as planar uint8 (C×H×W) into <paramref name="into"/>.</summary>
    void ReadImage(int index, Augmentation.ImageBuffer into);
}
