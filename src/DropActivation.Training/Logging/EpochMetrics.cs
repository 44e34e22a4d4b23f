using System.Text.Json.Serialization;

namespace DropActivation.Training.Logging;

/// <summary>What one epoch measured. Errors are fractions (0.0734 = 7.34 %).</summary>
public sealed record EpochMetrics
{
    /// <summary>1-based epoch number.</summary>
    [JsonPropertyName("epoch")] public required int Epoch { get; init; }

    /// <summary>Mean training loss over the epoch (with the training-mode network).</summary>
    [JsonPropertyName("train_loss")] public required double TrainLoss { get; init; }

    /// <summary>Training top-1 error over the epoch.</summary>
    [JsonPropertyName("train_error")] public required double TrainError { get; init; }

    /// <summary>Test loss in evaluation mode; null for an epoch that was not evaluated (<see cref="TrainOptions.EvalEvery"/>).</summary>
    [JsonPropertyName("test_loss")] public double? TestLoss { get; init; }

    /// <summary>Test top-1 error in evaluation mode; null for an epoch that was not evaluated (<see cref="TrainOptions.EvalEvery"/>).</summary>
    [JsonPropertyName("test_error")] public double? TestError { get; init; }

    /// <summary>Test top-5 error (null with fewer than 6 classes).</summary>
    [JsonPropertyName("test_top5_error")] public double? TestTop5Error { get; init; }

    /// <summary>Learning rate of the epoch.</summary>
    [JsonPropertyName("lr")] public required double LearningRate { get; init; }

    /// <summary>Wall-clock seconds of the epoch (training and test).</summary>
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }

    /// <summary>Wall-clock seconds of the training pass, data loading included (null in logs written before it was recorded).</summary>
    [JsonPropertyName("train_seconds")] public double? TrainSeconds { get; init; }

    /// <summary>Wall-clock seconds of the evaluation pass.</summary>
    [JsonPropertyName("test_seconds")] public double? TestSeconds { get; init; }

    /// <summary>Resident memory of the process at the end of the epoch, in MiB (Linux; null elsewhere).</summary>
    [JsonPropertyName("rss_mib")] public double? ResidentMiB { get; init; }
}
