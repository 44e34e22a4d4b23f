namespace DropActivation.Training;

/// <summary>What one training epoch measured while it trained.</summary>
/// <param name="Loss">Mean training loss over the epoch's samples.</param>
/// <param name="Error">Top-1 training error (fraction; NaN for <see cref="EpochLoss.MeanSquaredError"/>).</param>
/// <param name="Steps">Optimiser steps taken.</param>
/// <param name="Samples">Samples seen.</param>
public readonly record struct EpochTotals(double Loss, double Error, int Steps, long Samples)
{
    /// <summary>True when the pass stopped before its last batch (its caller asked it to): the totals are partial.</summary>
    public bool Stopped { get; init; }

    /// <summary>The running sums the totals come from (what a checkpoint inside the epoch keeps).</summary>
    public EpochProgress Progress { get; init; }
}
