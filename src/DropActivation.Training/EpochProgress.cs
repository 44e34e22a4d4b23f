using System.Text.Json.Serialization;

namespace DropActivation.Training;

/// <summary>
/// The running sums of an epoch's training pass after some steps: what a checkpoint inside an epoch keeps so that the
/// resumed pass continues the same sums (bit for bit) and starts at the next batch.
/// </summary>
/// <param name="Steps">Optimiser steps taken in the epoch (the next batch to train is this one, 0-based).</param>
/// <param name="Samples">Samples seen.</param>
/// <param name="LossSum">Sum over the samples seen of the per-sample loss (batch mean × batch size).</param>
/// <param name="Wrong">Misclassified samples (0 for a regression loss).</param>
public sealed record EpochProgress(
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("samples")] long Samples,
    [property: JsonPropertyName("loss_sum")] double LossSum,
    [property: JsonPropertyName("wrong")] long Wrong)
{
    /// <summary>Nothing trained yet.</summary>
    public static EpochProgress Start { get; } = new(0, 0, 0, 0);
}
