using System.Text.Json.Serialization;
using DropActivation.Training.Optimization;

namespace DropActivation.Training.Presets;

/// <summary>
/// A training recipe of the paper (Appendix 8.3, Tables 6–8) as stored in <c>presets/*.json</c>:
/// the <see cref="SgdRecipe"/> (batch size, epochs, SGD hyper-parameters, the multi-step schedule) and
/// where it was used. Command-line flags override any field (<see cref="Training.TrainOptions"/>).
/// </summary>
public sealed record Preset : SgdRecipe
{
    /// <summary>Preset name (the file name without extension), e.g. "cifar-resnet".</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>Where the values come from, e.g. "Table 6, ResNet".</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>Models of the zoo the recipe was used for.</summary>
    [JsonPropertyName("models")] public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Data sets the recipe was used on.</summary>
    [JsonPropertyName("datasets")] public required IReadOnlyList<string> Datasets { get; init; }

    /// <summary>Dropout of the models that have it (Wide ResNets), or null for the model's default.</summary>
    [JsonPropertyName("dropout")] public double? Dropout { get; init; }

    /// <summary>The split trained on (e.g. "train+extra" for SVHN, as in the paper), or null for "train".</summary>
    [JsonPropertyName("train_split")] public string? TrainSplit { get; init; }

    /// <summary>Drop-Activation only in the last N stages (2 on ImageNet), or null for every activation.</summary>
    [JsonPropertyName("dropact_last_stages")] public int? DropActLastStages { get; init; }

    /// <summary>Evaluate every this many epochs and after the last (train's --eval-every); null: every epoch.</summary>
    [JsonPropertyName("eval_every")] public int? EvalEvery { get; init; }
}
