using System.Text.Json.Serialization;

namespace DropActivation.Training;

/// <summary>The outcome of a run (summary.json). Errors are fractions.</summary>
public sealed record RunSummary
{
    /// <summary>The run's options.</summary>
    [JsonPropertyName("options")] public required TrainOptions Options { get; init; }

    /// <summary>Completed epochs.</summary>
    [JsonPropertyName("epochs_completed")] public required int EpochsCompleted { get; init; }

    /// <summary>Whether all <see cref="Optimization.SgdRecipe.Epochs"/> were trained (false when stopped early for a later --resume).</summary>
    [JsonPropertyName("finished")] public required bool Finished { get; init; }

    /// <summary>
    /// When a signal (a caller's cancellation) stopped the run: the steps of the epoch in progress that were done and
    /// checkpointed (0: stopped at an epoch's end); a --resume continues with the next step. Null when not stopped.
    /// </summary>
    [JsonPropertyName("stopped_after_step")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StoppedAfterStep { get; init; }

    /// <summary>Test error after the last completed epoch.</summary>
    [JsonPropertyName("final_test_error")] public double? FinalTestError { get; init; }

    /// <summary>Lowest test error of any epoch.</summary>
    [JsonPropertyName("best_test_error")] public double? BestTestError { get; init; }

    /// <summary>Epoch of the lowest test error.</summary>
    [JsonPropertyName("best_epoch")] public int? BestEpoch { get; init; }

    /// <summary>Training seconds of this invocation.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
}
