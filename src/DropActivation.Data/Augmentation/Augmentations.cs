using DropActivation.Data.Registry;

namespace DropActivation.Data.Augmentation;

/// <summary>Which extra regulariser-style augmentation a training pipeline gets (the paper's Table 4).</summary>
[Flags]
public enum AugmentExtras
{
    /// <summary>The standard augmentation only.</summary>
    None = 0,
    /// <summary>Cutout with the data set's hole size.</summary>
    Cutout = 1,
    /// <summary>AutoAugment with the data set's policy.</summary>
    AutoAugment = 2,
}

/// <summary>The standard pipelines per data set, as the paper and the Cutout/AutoAugment papers use them.</summary>
public static class Augmentations
{
    /// <summary>Cutout hole length of the Cutout paper for a data set: 16 (CIFAR-10), 8 (CIFAR-100), 20 (SVHN).</summary>
    public static int CutoutLength(string dataSet) => dataSet.ToLowerInvariant() switch
    {
        "cifar10" => 16, "cifar100" => 8, "svhn" => 20,
        _ => throw new ArgumentException($"no standard Cutout length for '{dataSet}' (CIFAR-10, CIFAR-100 and SVHN have one)", nameof(dataSet)),
    };

    /// <summary>The AutoAugment policy for a data set: CIFAR-10's for CIFAR-10/100, SVHN's for SVHN.</summary>
    public static AutoAugmentPolicy AutoAugmentPolicyFor(string dataSet) => dataSet.ToLowerInvariant() switch
    {
        "cifar10" or "cifar100" => AutoAugmentPolicy.Cifar10, "svhn" => AutoAugmentPolicy.Svhn,
        _ => throw new ArgumentException($"no AutoAugment policy for '{dataSet}' (CIFAR-10, CIFAR-100 and SVHN have one)", nameof(dataSet)),
    };

    /// <summary>
    /// Training pipeline of <paramref name="info"/>: CIFAR: pad-4 random crop + horizontal flip
    /// (+ AutoAugment) + normalise (+ Cutout); SVHN: (AutoAugment +) rescale to [0, 1] (+ Cutout), no crop or
    /// flip; ImageNet: RandomResizedCrop 224 + flip + normalise; MNIST-like and digits: normalise.
    /// </summary>
    public static AugmentPipeline Train(DataSetInfo info, AugmentExtras extras = AugmentExtras.None)
    {
        var norm = TrainingNormalization(info);
        var steps = new List<IImageTransform>();
        switch (info.Recipe)
        {
            case "cifar10" or "cifar100": steps.Add(new RandomCrop(32, 4)); steps.Add(new RandomHorizontalFlip()); break;
            case "imagenet": steps.Add(new RandomResizedCrop(224)); steps.Add(new RandomHorizontalFlip()); break;
        }
        if (extras.HasFlag(AugmentExtras.AutoAugment)) steps.Add(new AutoAugment(AutoAugmentPolicyFor(info.Recipe ?? info.Name)));
        var cutout = extras.HasFlag(AugmentExtras.Cutout) ? new Cutout(1, CutoutLength(info.Recipe ?? info.Name)) : null;
        return new AugmentPipeline(steps, norm, cutout);
    }

    /// <summary>Evaluation pipeline: normalise; ImageNet resizes to 256 and centre-crops 224 first.</summary>
    public static AugmentPipeline Eval(DataSetInfo info)
    {
        var steps = info.Recipe == "imagenet" ? new IImageTransform[] { new ResizeCenterCrop(256, 224) } : [];
        return new AugmentPipeline(steps, TrainingNormalization(info));
    }

    /// <summary>
    /// The normalisation the paper trains with: each data set's mean/std, except SVHN, whose pixels
    /// the paper (Appendix 8.2, following Wide ResNet) only rescales to [0, 1].
    /// </summary>
    public static Normalization TrainingNormalization(DataSetInfo info) =>
        info.Recipe == "svhn" ? Normalization.UnitRange : new Normalization(info.Mean, info.Std);
}
