using static DropActivation.Data.Augmentation.AutoAugmentOp;

namespace DropActivation.Data.Augmentation;

/// <summary>
/// AutoAugment (Cubuk et al. 2019) with the CIFAR-10 or SVHN policy: per image, one of 25
/// sub-policies is drawn uniformly; each of its two operations is applied with its probability at
/// its magnitude level 0..9. Magnitude ranges follow torchvision's AutoAugment: shear 0..0.3,
/// translate 0..150/331 of the image side, rotate 0..30°, enhance factors 1 ± 0..0.9, posterize
/// 8..4 bits, solarize threshold 256..0; shear, translate, rotate and enhance take a random sign.
/// Geometric operations fill uncovered pixels with <see cref="Fill"/>.
/// </summary>
public sealed class AutoAugment : IImageTransform
{
    /// <summary>One operation of a sub-policy: what, how likely, at which magnitude level (0..9; ignored by magnitude-free ops).</summary>
    public readonly record struct Step(AutoAugmentOp Op, double Probability, int Level);

    private static readonly (Step, Step)[] Cifar10Policy =
    [
        (new(Invert, 0.1, 0), new(Contrast, 0.2, 6)), (new(Rotate, 0.7, 2), new(TranslateX, 0.3, 9)),
        (new(Sharpness, 0.8, 1), new(Sharpness, 0.9, 3)), (new(ShearY, 0.5, 8), new(TranslateY, 0.7, 9)),
        (new(AutoContrast, 0.5, 0), new(Equalize, 0.9, 0)), (new(ShearY, 0.2, 7), new(Posterize, 0.3, 7)),
        (new(Color, 0.4, 3), new(Brightness, 0.6, 7)), (new(Sharpness, 0.3, 9), new(Brightness, 0.7, 9)),
        (new(Equalize, 0.6, 0), new(Equalize, 0.5, 0)), (new(Contrast, 0.6, 7), new(Sharpness, 0.6, 5)),
        (new(Color, 0.7, 7), new(TranslateX, 0.5, 8)), (new(Equalize, 0.3, 0), new(AutoContrast, 0.4, 0)),
        (new(TranslateY, 0.4, 3), new(Sharpness, 0.2, 6)), (new(Brightness, 0.9, 6), new(Color, 0.2, 8)),
        (new(Solarize, 0.5, 2), new(Invert, 0.0, 0)), (new(Equalize, 0.2, 0), new(AutoContrast, 0.6, 0)),
        (new(Equalize, 0.2, 0), new(Equalize, 0.6, 0)), (new(Color, 0.9, 9), new(Equalize, 0.6, 0)),
        (new(AutoContrast, 0.8, 0), new(Solarize, 0.2, 8)), (new(Brightness, 0.1, 3), new(Color, 0.7, 0)),
        (new(Solarize, 0.4, 5), new(AutoContrast, 0.9, 0)), (new(TranslateY, 0.9, 9), new(TranslateY, 0.7, 9)),
        (new(AutoContrast, 0.9, 0), new(Solarize, 0.8, 3)), (new(Equalize, 0.8, 0), new(Invert, 0.1, 0)),
        (new(TranslateY, 0.7, 9), new(AutoContrast, 0.9, 0)),
    ];

    private static readonly (Step, Step)[] SvhnPolicy =
    [
        (new(ShearX, 0.9, 4), new(Invert, 0.2, 0)), (new(ShearY, 0.9, 8), new(Invert, 0.7, 0)),
        (new(Equalize, 0.6, 0), new(Solarize, 0.6, 6)), (new(Invert, 0.9, 0), new(Equalize, 0.6, 0)),
        (new(Equalize, 0.6, 0), new(Rotate, 0.9, 3)), (new(ShearX, 0.9, 4), new(AutoContrast, 0.8, 0)),
        (new(ShearY, 0.9, 8), new(Invert, 0.4, 0)), (new(ShearY, 0.9, 5), new(Solarize, 0.2, 6)),
        (new(Invert, 0.9, 0), new(AutoContrast, 0.8, 0)), (new(Equalize, 0.6, 0), new(Rotate, 0.9, 3)),
        (new(ShearX, 0.9, 4), new(Solarize, 0.3, 3)), (new(ShearY, 0.8, 8), new(Invert, 0.7, 0)),
        (new(Equalize, 0.9, 0), new(TranslateY, 0.6, 6)), (new(Invert, 0.9, 0), new(Equalize, 0.6, 0)),
        (new(Contrast, 0.3, 3), new(Rotate, 0.8, 4)), (new(Invert, 0.8, 0), new(TranslateY, 0.0, 2)),
        (new(ShearY, 0.7, 6), new(Solarize, 0.4, 8)), (new(Invert, 0.6, 0), new(Rotate, 0.8, 4)),
        (new(ShearY, 0.3, 7), new(TranslateX, 0.9, 3)), (new(ShearX, 0.1, 6), new(Invert, 0.6, 0)),
        (new(Solarize, 0.7, 2), new(TranslateY, 0.6, 7)), (new(ShearY, 0.8, 4), new(Invert, 0.8, 0)),
        (new(ShearX, 0.7, 9), new(TranslateY, 0.8, 3)), (new(ShearY, 0.8, 5), new(AutoContrast, 0.7, 0)),
        (new(ShearX, 0.7, 2), new(Invert, 0.1, 0)),
    ];

    /// <summary>Creates AutoAugment with <paramref name="policy"/>; <paramref name="fill"/> is the grey level of uncovered pixels.</summary>
    public AutoAugment(AutoAugmentPolicy policy, byte fill = 128)
    {
        Policy = policy;
        Fill = fill;
        SubPolicies = policy == AutoAugmentPolicy.Cifar10 ? Cifar10Policy : SvhnPolicy;
    }

    /// <summary>The policy.</summary>
    public AutoAugmentPolicy Policy { get; }

    /// <summary>Fill value of geometric operations.</summary>
    public byte Fill { get; }

    /// <summary>The 25 sub-policies, each two steps.</summary>
    public IReadOnlyList<(Step First, Step Second)> SubPolicies { get; }

    public (int Height, int Width) OutputSize(int height, int width) => (height, width);

    public void Apply(ImageBuffer image, ref AugmentRandom rng) => Apply(image, ref rng, out _);

    /// <summary>Applies a randomly drawn sub-policy and reports which one (its index in <see cref="SubPolicies"/>).</summary>
    public void Apply(ImageBuffer image, ref AugmentRandom rng, out int subPolicy)
    {
        subPolicy = rng.NextInt(SubPolicies.Count);
        var (a, b) = SubPolicies[subPolicy];
        RunStep(image, a, ref rng, Fill);
        RunStep(image, b, ref rng, Fill);
    }

    private static void RunStep(ImageBuffer image, Step step, ref AugmentRandom rng, byte fill)
    {
        double u = rng.NextDouble();
        bool negate = rng.Chance(0.5);
        if (u < step.Probability) ApplyOp(image, step.Op, step.Level, negate, fill);
    }

    /// <summary>Applies one operation at magnitude <paramref name="level"/> (0..9), negated for signed operations when <paramref name="negate"/>.</summary>
    public static void ApplyOp(ImageBuffer img, AutoAugmentOp op, int level, bool negate, byte fill)
    {
        double t = level / 9.0, sign = negate ? -1 : 1;
        switch (op)
        {
            case ShearX: ImageOps.ShearX(img, sign * 0.3 * t, fill); break;
            case ShearY: ImageOps.ShearY(img, sign * 0.3 * t, fill); break;
            case TranslateX: ImageOps.TranslateX(img, (int)(sign * 150.0 / 331.0 * img.Width * t), fill); break;
            case TranslateY: ImageOps.TranslateY(img, (int)(sign * 150.0 / 331.0 * img.Height * t), fill); break;
            case Rotate: ImageOps.Rotate(img, sign * 30.0 * t, fill); break;
            case AutoContrast: ImageOps.AutoContrast(img); break;
            case Invert: ImageOps.Invert(img); break;
            case Equalize: ImageOps.Equalize(img); break;
            case Solarize: ImageOps.Solarize(img, (int)Math.Ceiling(256.0 * (1 - t) - 1e-9)); break;
            case Posterize: ImageOps.Posterize(img, 8 - (int)Math.Round(level * 4 / 9.0, MidpointRounding.ToEven)); break;
            case Contrast: ImageOps.Contrast(img, 1 + sign * 0.9 * t); break;
            case Color: ImageOps.Color(img, 1 + sign * 0.9 * t); break;
            case Brightness: ImageOps.Brightness(img, 1 + sign * 0.9 * t); break;
            case Sharpness: ImageOps.Sharpness(img, 1 + sign * 0.9 * t); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    public override string ToString() => $"AutoAugment({Policy})";
}
