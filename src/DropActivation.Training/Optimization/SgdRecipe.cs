using System.Text.Json.Serialization;

namespace DropActivation.Training.Optimization;

/// <summary>
/// The SGD recipe of a training run, the one place its fields are declared: batch size, epochs,
/// learning rate and its schedule, momentum and weight decay. A <see cref="Presets.Preset"/> stores
/// one (presets/*.json); <see cref="TrainOptions"/> carries the one in effect after the command-line
/// overrides. JSON names as in the preset files (<c>batch_size</c>, <c>lr</c>, …).
/// </summary>
public abstract record SgdRecipe
{
    /// <summary>Samples per step.</summary>
    [JsonPropertyName("batch_size")] public required int BatchSize { get; init; }

    /// <summary>Number of epochs.</summary>
    [JsonPropertyName("epochs")] public required int Epochs { get; init; }

    /// <summary>Initial learning rate.</summary>
    [JsonPropertyName("lr")] public required double LearningRate { get; init; }

    /// <summary>"multistep" or "cosine".</summary>
    [JsonPropertyName("schedule")] public string Schedule { get; init; } = TrainOverrides.Defaults.Schedule!;

    /// <summary>Multi-step milestones (0-based epoch indices from which the next factor <see cref="Gamma"/> applies).</summary>
    [JsonPropertyName("milestones")] public IReadOnlyList<int> Milestones { get; init; } = Array.Empty<int>();

    /// <summary>Learning-rate factor at each milestone.</summary>
    [JsonPropertyName("gamma")] public double Gamma { get; init; } = TrainOverrides.Defaults.Gamma!.Value;

    /// <summary>L2 weight decay.</summary>
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }

    /// <summary>SGD momentum (0.9 throughout the paper).</summary>
    [JsonPropertyName("momentum")] public double Momentum { get; init; } = TrainOverrides.Defaults.Momentum!.Value;

    /// <summary>The learning rate of an epoch (0-based) under this recipe's schedule.</summary>
    public double LearningRateAt(int epoch) => LearningRateSchedule.At(Schedule, LearningRate, epoch, Epochs, Milestones, Gamma);
}
