using System.Diagnostics.CodeAnalysis;

namespace DropActivation.Analysis.PSweep;

/// <summary>
/// Settings of the p grid search of the paper's Section 5.2 (Figure 5, Appendix 8.1): the simple CNN
/// trained without augmentation on 90 % of a training set, validated on the other 10 %, N runs per p.
/// The paper's hyper-parameters for this search are not given; the defaults here (SGD, momentum 0.9,
/// weight decay 5e-4, lr 0.05 with cosine decay, batch 128) are the usual ones for such a network.
/// </summary>
public sealed record PSweepOptions : SgdRecipeOptions
{
    /// <summary>The defaults of <see cref="SgdRecipeOptions"/> and of this analysis; object initialisers override any field.</summary>
    [SetsRequiredMembers]
    public PSweepOptions() { }

    /// <summary>The paper's grid: 0.60, 0.65, …, 1.00 (p = 1 is plain ReLU).</summary>
    public static IReadOnlyList<double> PaperGrid { get; } = Enumerable.Range(0, 9).Select(i => Math.Round(0.60 + 0.05 * i, 2)).ToArray();

    /// <summary>The keep probabilities p to try.</summary>
    public IReadOnlyList<double> PValues { get; init; } = PaperGrid;

    /// <summary>Runs per p (the paper: 20).</summary>
    public int Runs { get; init; } = 20;

    /// <summary>Validation fraction of each run's split (the paper: 0.1).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Confidence level of the intervals (the paper: 0.95).</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        ValidateRecipe();
        if (PValues.Count == 0) throw new ArgumentException("At least one p value is needed.");
        foreach (var p in PValues) DA.CheckP(p);
        if (PValues.Distinct().Count() != PValues.Count) throw new ArgumentException("The p values must be distinct.");
        if (Runs < 1) throw new ArgumentException($"Runs must be at least 1, got {Runs}.");
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw new ArgumentException($"The validation fraction must lie in (0, 1), got {ValidationFraction}.");
        if (!(Confidence > 0 && Confidence < 1)) throw new ArgumentException($"The confidence must lie in (0, 1), got {Confidence}.");
    }
}
