namespace DropActivation.Training;

/// <summary>The loss a <see cref="TrainingEpoch"/> minimises.</summary>
public enum EpochLoss
{
    /// <summary>Cross-entropy of logits against class labels; the epoch also counts top-1 errors.</summary>
    CrossEntropy,

    /// <summary>Mean squared error against real-valued targets (regression); no error rate.</summary>
    MeanSquaredError,
}
