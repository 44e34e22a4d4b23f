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

/// <summary>
/// The augmentation facts of a data set, on its registry record (<see cref="DataSetInfo.Augment"/>): the paper's
/// and the Cutout/AutoAugment papers' recipes. A data set without one trains on plain normalised images.
/// </summary>
/// <param name="TrainSteps">Geometric steps of the training pipeline, before AutoAugment (null: none).</param>
/// <param name="EvalSteps">Steps of the evaluation pipeline (null: none).</param>
/// <param name="CutoutLength">Cutout hole length of the Cutout paper (null: none).</param>
/// <param name="AutoAugment">AutoAugment policy (null: none).</param>
/// <param name="UnitRange">Pixels only rescaled to [0, 1] instead of normalised with the mean/std.</param>
public sealed record AugmentRecipe(Func<IImageTransform[]>? TrainSteps = null, Func<IImageTransform[]>? EvalSteps = null,
    int? CutoutLength = null, AutoAugmentPolicy? AutoAugment = null, bool UnitRange = false)
{
    /// <summary>CIFAR's: pad-4 random crop and horizontal flip, CIFAR-10's AutoAugment policy, the given Cutout length.</summary>
    public static AugmentRecipe Cifar(int cutoutLength) =>
        new(() => [new RandomCrop(32, 4), new RandomHorizontalFlip()], CutoutLength: cutoutLength, AutoAugment: AutoAugmentPolicy.Cifar10);
}

/// <summary>The training and evaluation pipelines of a data set, built from its <see cref="AugmentRecipe"/>.</summary>
public static class Augmentations
{
    /// <summary>Cutout hole length of the Cutout paper for a data set: 16 (CIFAR-10), 8 (CIFAR-100), 20 (SVHN).</summary>
    public static int CutoutLength(string dataSet) => Require(DataSets.Get(dataSet), a => a.CutoutLength, "standard Cutout length");

    /// <summary>The AutoAugment policy for a data set: CIFAR-10's for CIFAR-10/100, SVHN's for SVHN.</summary>
    public static AutoAugmentPolicy AutoAugmentPolicyFor(string dataSet) => Require(DataSets.Get(dataSet), a => a.AutoAugment, "AutoAugment policy");

    private static T Require<T>(DataSetInfo info, Func<AugmentRecipe, T?> fact, string what) where T : struct =>
        fact(info.Augment) ?? throw new ArgumentException(
            $"no {what} for '{info.Name}' ({string.Join(", ", DataSets.All.Where(d => fact(d.Augment) is not null).Select(d => d.Name))} have one)", "dataSet");

    /// <summary>
    /// Training pipeline of <paramref name="info"/>: its recipe's steps (CIFAR: pad-4 random crop + horizontal flip;
    /// ImageNet: RandomResizedCrop 224 + flip) (+ AutoAugment) + normalise (+ Cutout).
    /// </summary>
    public static AugmentPipeline Train(DataSetInfo info, AugmentExtras extras = AugmentExtras.None)
    {
        var steps = info.Augment.TrainSteps?.Invoke().ToList() ?? [];
        if (extras.HasFlag(AugmentExtras.AutoAugment)) steps.Add(new AutoAugment(Require(info, a => a.AutoAugment, "AutoAugment policy")));
        var cutout = extras.HasFlag(AugmentExtras.Cutout) ? new Cutout(1, Require(info, a => a.CutoutLength, "standard Cutout length")) : null;
        return new AugmentPipeline(steps, TrainingNormalization(info), cutout);
    }

    /// <summary>Evaluation pipeline: its recipe's steps (ImageNet: resize to 256, centre crop 224), then normalise.</summary>
    public static AugmentPipeline Eval(DataSetInfo info) => new(info.Augment.EvalSteps?.Invoke() ?? [], TrainingNormalization(info));

    /// <summary>
    /// The normalisation the paper trains with: each data set's mean/std, except SVHN, whose pixels
    /// the paper (Appendix 8.2, following Wide ResNet) only rescales to [0, 1].
    /// </summary>
    public static Normalization TrainingNormalization(DataSetInfo info) =>
        info.Augment.UnitRange ? Normalization.UnitRange : new Normalization(info.Mean, info.Std);
}
