using System.Text.Json.Serialization;

namespace DropActivation.Training.Presets;

/// <summary>
/// A training recipe of the paper (Appendix 8.3, Tables 6–8) as stored in <c>presets/*.json</c>:
/// batch size, epochs, SGD hyper-parameters and the multi-step schedule. Command-line flags override
/// any field (<see cref="Training.TrainOptions"/>).
/// </summary>
public sealed record Preset
{
    /// <summary>Preset name (the file name without extension), e.g. "cifar-resnet".</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>Where the values come from, e.g. "Table 6, ResNet".</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>Models of the zoo the recipe was used for.</summary>
    [JsonPropertyName("models")] public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Data sets the recipe was used on.</summary>
    [JsonPropertyName("datasets")] public required IReadOnlyList<string> Datasets { get; init; }

    /// <summary>Samples per step.</summary>
    [JsonPropertyName("batch_size")] public required int BatchSize { get; init; }

    /// <summary>Number of epochs.</summary>
    [JsonPropertyName("epochs")] public required int Epochs { get; init; }

    /// <summary>Initial learning rate.</summary>
    [JsonPropertyName("lr")] public required double LearningRate { get; init; }

    /// <summary>"multistep" or "cosine".</summary>
    [JsonPropertyName("schedule")] public string Schedule { get; init; } = "multistep";

    /// <summary>Epochs at which the learning rate is multiplied by <see cref="Gamma"/>.</summary>
    [JsonPropertyName("milestones")] public IReadOnlyList<int> Milestones { get; init; } = Array.Empty<int>();

    /// <summary>Learning-rate factor at each milestone.</summary>
    [JsonPropertyName("gamma")] public double Gamma { get; init; } = 0.1;

    /// <summary>L2 weight decay.</summary>
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }

    /// <summary>SGD momentum (0.9 throughout the paper).</summary>
    [JsonPropertyName("momentum")] public double Momentum { get; init; } = 0.9;

    /// <summary>Dropout of the models that have it (Wide ResNets), or null for the model's default.</summary>
    [JsonPropertyName("dropout")] public double? Dropout { get; init; }

    /// <summary>The split trained on (e.g. "train+extra" for SVHN, as in the paper), or null for "train".</summary>
    [JsonPropertyName("train_split")] public string? TrainSplit { get; init; }

    /// <summary>Drop-Activation only in the last N stages (2 on ImageNet), or null for every activation.</summary>
    [JsonPropertyName("dropact_last_stages")] public int? DropActLastStages { get; init; }
}
