using System.Diagnostics.CodeAnalysis;

namespace DropActivation.Analysis.ShiftRatio;

/// <summary>
/// Settings of the variance-shift measurement of Figure 4: a zoo model trained on a data set, one run
/// per activation, the shift ratio of one stage's output measured after every epoch.
/// </summary>
public sealed record ShiftRatioOptions : SgdRecipeOptions
{
    /// <summary>The defaults of <see cref="SgdRecipeOptions"/> and of this analysis; object initialisers override any field.</summary>
    [SetsRequiredMembers]
    public ShiftRatioOptions() { }

    /// <summary>Zoo model name (the paper: resnet164 on CIFAR-100).</summary>
    public string Model { get; init; } = "simple-cnn";

    /// <summary>The stage whose output is measured (a name of the model's stages); null: the second stage, as in the paper.</summary>
    public string? Stage { get; init; }

    /// <summary>One training run per activation name ("dropact", "relu", "rrelu", …), same seed for each.</summary>
    public IReadOnlyList<string> Activations { get; init; } = new[] { "dropact" };

    /// <summary>Drop-Activation's keep probability.</summary>
    public double P { get; init; } = DA.DefaultP;

    /// <summary>Dropout of the model (Wide ResNets only; null: the model's default), for a Dropout baseline.</summary>
    public double? Dropout { get; init; }

    /// <summary>Train on the data set's standard augmentation (crop/flip for CIFAR) rather than the plain images.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>What differs between the train and the test pass of the probe (default: only the random layers).</summary>
    public ProbeMode Mode { get; init; } = ProbeMode.Activations;

    /// <summary>Training images in the fixed probe batch.</summary>
    public int ProbeImages { get; init; } = 256;

    /// <summary>Forward passes with fresh random activations over the probe batch, pooled for Var_train.</summary>
    public int ProbeDraws { get; init; } = 4;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        ValidateRecipe();
        if (Activations.Count == 0) throw new ArgumentException("At least one activation is needed.");
        if (Activations.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Activations.Count) throw new ArgumentException("The activations must be distinct.");
        DA.CheckP(P);
        if (ProbeImages < 2) throw new ArgumentException($"The probe batch needs at least 2 images, got {ProbeImages}.");
        if (ProbeDraws < 1) throw new ArgumentException($"At least one probe draw is needed, got {ProbeDraws}.");
    }
}
