namespace DropActivation.Training.Evaluation;

/// <summary>Evaluation-mode results on a data set: mean loss, top-1 and top-5 error (fractions).</summary>
/// <param name="Samples">Images evaluated.</param>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Top1Error">Fraction whose highest-scoring class is wrong.</param>
/// <param name="Top5Error">Fraction whose true class is not among the five highest (null with fewer than 6 classes).</param>
public sealed record EvalResult(int Samples, double Loss, double Top1Error, double? Top5Error);
