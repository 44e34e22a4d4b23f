namespace DropActivation.Training.Reports;

/// <summary>
/// One cell of the paper's tables: the test error of a model × data set × activation over its runs
/// (percent), mean and sample standard deviation (n − 1; 0 for a single run).
/// </summary>
public sealed record ReportRow(string Model, string Dataset, string Activation, string Label, int Runs, double MeanPercent, double StdPercent,
    IReadOnlyList<long> Seeds, IReadOnlyList<double> ErrorsPercent)
{
    /// <summary>Drop-Activation's p for Drop-Activation rows, else null.</summary>
    public double? P { get; init; }

    /// <summary>The compute mode of the row's runs (a row never mixes modes).</summary>
    public ComputeMode Mode { get; init; } = ComputeMode.Standard;
}
