namespace DropActivation.Training.Reports;

/// <summary>Which error of a run a report uses (<see cref="ErrorMetrics"/> names, parses and reads each).</summary>
public enum ErrorMetric
{
    /// <summary>The test error after the last epoch (the default: no model selection on the test set).</summary>
    Final,

    /// <summary>The lowest test error of any evaluated epoch.</summary>
    Best,

    /// <summary>
    /// The training error of the last epoch, as measured during that epoch (the network in training mode: augmented
    /// images, every random layer drawing): how far a regulariser holds back the fit.
    /// </summary>
    Train,
}
