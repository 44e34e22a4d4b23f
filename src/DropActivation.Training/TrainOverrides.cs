namespace DropActivation.Training;

/// <summary>Command-line values that override a preset (null: keep the preset's value, or the default).</summary>
public sealed record TrainOverrides
{
    /// <summary>--epochs</summary>
    public int? Epochs { get; init; }
    /// <summary>--batch-size</summary>
    public int? BatchSize { get; init; }
    /// <summary>--lr</summary>
    public double? LearningRate { get; init; }
    /// <summary>--schedule: multistep (optionally with milestones: "multistep:81,122"), cosine or constant.</summary>
    public string? Schedule { get; init; }
    /// <summary>--gamma</summary>
    public double? Gamma { get; init; }
    /// <summary>--wd</summary>
    public double? WeightDecay { get; init; }
    /// <summary>--momentum</summary>
    public double? Momentum { get; init; }
    /// <summary>--dropout</summary>
    public double? Dropout { get; init; }
    /// <summary>--train-split: the split trained on, e.g. "train+extra" (SVHN).</summary>
    public string? TrainSplit { get; init; }
    /// <summary>--dropact-stages: stage names, or "last:N".</summary>
    public IReadOnlyList<string>? DropActStages { get; init; }
}
