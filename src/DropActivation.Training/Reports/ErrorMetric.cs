namespace DropActivation.Training.Reports;

/// <summary>Which test error of a run a report uses.</summary>
public enum ErrorMetric
{
    /// <summary>After the last epoch (the default: no model selection on the test set).</summary>
    Final,

    /// <summary>The lowest of any epoch.</summary>
    Best,
}
