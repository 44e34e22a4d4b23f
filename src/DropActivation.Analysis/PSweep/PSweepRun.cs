namespace DropActivation.Analysis.PSweep;

/// <summary>One trained network of the p-sweep.</summary>
/// <param name="P">Keep probability.</param>
/// <param name="Run">Run index 0 … N−1.</param>
/// <param name="Seed">Seed of the split, the initial weights and the random activations.</param>
/// <param name="TrainLoss">Mean training loss of the last epoch.</param>
/// <param name="TrainError">Training error of the last epoch (random activations on).</param>
/// <param name="ValidationError">Top-1 error on the held-out part, evaluation mode.</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record PSweepRun(double P, int Run, long Seed, double TrainLoss, double TrainError, double ValidationError, double Seconds);
