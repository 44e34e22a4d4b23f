using DropActivation.Analysis.Statistics;

namespace DropActivation.Analysis.PSweep;

/// <summary>The validation error at one p: mean over the runs with its t-based confidence interval.</summary>
/// <param name="P">Keep probability (1: plain ReLU).</param>
/// <param name="ValidationError">Mean, standard deviation and confidence interval of the runs' validation errors (fractions).</param>
public sealed record PSweepPoint(double P, ConfidenceInterval ValidationError);
