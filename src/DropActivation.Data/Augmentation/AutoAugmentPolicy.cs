namespace DropActivation.Data.Augmentation;

/// <summary>The AutoAugment policies learned by Cubuk et al. (2019) that this project ships.</summary>
public enum AutoAugmentPolicy
{
    /// <summary>The 25 sub-policies found on reduced CIFAR-10 (also used for CIFAR-100).</summary>
    Cifar10,
    /// <summary>The 25 sub-policies found on reduced SVHN.</summary>
    Svhn,
}

/// <summary>The operations AutoAugment draws from.</summary>
public enum AutoAugmentOp
{
    ShearX, ShearY, TranslateX, TranslateY, Rotate, AutoContrast, Invert, Equalize, Solarize, Posterize,
    Contrast, Color, Brightness, Sharpness,
}
