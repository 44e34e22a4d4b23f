using System.Text.Json.Serialization;
using DropActivation.Training.Logging;

namespace DropActivation.Training.Checkpoints;

/// <summary>
/// The JSON header of a checkpoint: what was trained (the full <see cref="TrainOptions"/> and the
/// model's input shape), how far (completed epochs), the best test error so far, the metrics history
/// and the versions that wrote it.
/// </summary>
public sealed record CheckpointHeader
{
    /// <summary>Layout version of the file.</summary>
    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CheckpointFile.FormatVersion;

    /// <summary>The run's options (model, data set, activation, hyper-parameters, seed, threads).</summary>
    [JsonPropertyName("options")] public required TrainOptions Options { get; init; }

    /// <summary>Classes of the model's classifier.</summary>
    [JsonPropertyName("num_classes")] public required int NumClasses { get; init; }

    /// <summary>Input channels.</summary>
    [JsonPropertyName("in_channels")] public required int InChannels { get; init; }

    /// <summary>Input height = width.</summary>
    [JsonPropertyName("image_size")] public required int ImageSize { get; init; }

    /// <summary>Completed epochs (0: the weights at initialisation).</summary>
    [JsonPropertyName("epoch")] public required int Epoch { get; init; }

    /// <summary>Learning rate of the last completed epoch (informative; the schedule is a function of the epoch).</summary>
    [JsonPropertyName("lr")] public double LearningRate { get; init; }

    /// <summary>Lowest test error (fraction) seen so far, or null before the first epoch.</summary>
    [JsonPropertyName("best_test_error")] public double? BestTestError { get; init; }

    /// <summary>Epoch (1-based) of <see cref="BestTestError"/>.</summary>
    [JsonPropertyName("best_epoch")] public int? BestEpoch { get; init; }

    /// <summary>
    /// Where inside epoch <see cref="Epoch"/> + 1 this checkpoint was written (its steps and running sums), or null for a
    /// checkpoint at an epoch's end. Written on a signal and by the recovery interval; absent from older checkpoints.
    /// </summary>
    [JsonPropertyName("in_epoch")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EpochProgress? InEpoch { get; init; }

    /// <summary>Metrics of every completed epoch.</summary>
    [JsonPropertyName("history")] public IReadOnlyList<EpochMetrics> History { get; init; } = Array.Empty<EpochMetrics>();

    /// <summary>Version of the dropact tools that wrote it.</summary>
    [JsonPropertyName("dropact_version")] public string? DropActVersion { get; init; }

    /// <summary>Version of TorchSharp that wrote it.</summary>
    [JsonPropertyName("torchsharp_version")] public string? TorchSharpVersion { get; init; }

    /// <summary>When it was written (UTC, ISO 8601).</summary>
    [JsonPropertyName("created_utc")] public string? CreatedUtc { get; init; }
}
