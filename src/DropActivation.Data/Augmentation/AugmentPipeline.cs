namespace DropActivation.Data.Augmentation;

/// <summary>
/// Per-image augmentation: uint8 transforms in order, then normalisation to float32, then
/// optional Cutout on the normalised image. Stateless and thread-safe; all randomness comes from
/// the <see cref="AugmentRandom"/> handed in (one per image).
/// </summary>
public sealed class AugmentPipeline
{
    /// <summary>Creates a pipeline.</summary>
    public AugmentPipeline(IEnumerable<IImageTransform> transforms, Normalization normalization, Cutout? cutout = null)
    {
        Transforms = transforms.ToArray();
        Normalization = normalization;
        Cutout = cutout;
    }

    /// <summary>The uint8 transforms, applied first to last.</summary>
    public IReadOnlyList<IImageTransform> Transforms { get; }

    /// <summary>The float conversion.</summary>
    public Normalization Normalization { get; }

    /// <summary>Cutout on the normalised image, or null.</summary>
    public Cutout? Cutout { get; }

    /// <summary>Output height and width for an input of the given size.</summary>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        foreach (var t in Transforms) (height, width) = t.OutputSize(height, width);
        return (height, width);
    }

    /// <summary>Output C×H×W for <paramref name="source"/>, or null when it depends on each image (variable-size images, no resizing step).</summary>
    public (int Channels, int Height, int Width)? OutputShape(IDataSource source)
    {
        if (source.FixedSize is { } s) { var (h, w) = OutputSize(s.Height, s.Width); return (source.Channels, h, w); }
        var (h1, w1) = OutputSize(1, 1);
        var (h2, w2) = OutputSize(2, 3);
        return h1 == h2 && w1 == w2 ? (source.Channels, h1, w1) : null;
    }

    /// <summary>
    /// Augments <paramref name="image"/> (modified in place) and writes the normalised result into
    /// <paramref name="output"/> (C·H·W floats), using a table from <see cref="Normalization.Table"/>.
    /// </summary>
    public void Apply(ImageBuffer image, ref AugmentRandom rng, ReadOnlySpan<float> normTable, Span<float> output)
    {
        foreach (var t in Transforms) t.Apply(image, ref rng);
        if (output.Length != image.Length)
            throw new InvalidOperationException($"augmented image is {image.Channels}×{image.Height}×{image.Width} but the batch expects {output.Length} values; add a resize/crop step");
        Normalization.Apply(image.Pixels, image.Channels, normTable, output);
        Cutout?.Apply(output, image.Channels, image.Height, image.Width, ref rng);
    }

    public override string ToString() =>
        string.Join(" → ", Transforms.Select(t => t.ToString()).Append(Normalization.ToString()).Concat(Cutout is null ? [] : [Cutout.ToString()!]));
}
