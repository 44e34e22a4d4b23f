namespace DropActivation.Data.Augmentation;

/// <summary>A (usually random) transform of a uint8 planar image, applied in place to an <see cref="ImageBuffer"/>.</summary>
public interface IImageTransform
{
    /// <summary>The output height and width for an input of the given size (a fixed size for crops and resizes).</summary>
    (int Height, int Width) OutputSize(int height, int width);

    /// <summary>Transforms <paramref name="image"/>, drawing any randomness from <paramref name="rng"/>.</summary>
    void Apply(ImageBuffer image, ref AugmentRandom rng);
}
