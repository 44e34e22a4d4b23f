namespace DropActivation.Analysis.Timing;

/// <summary>One column of Table 5: a variant's per-batch training times.</summary>
/// <param name="Variant">relu, rrelu, dropact or dropact-portable.</param>
/// <param name="Label">Human name.</param>
/// <param name="MedianMs">Median milliseconds per batch.</param>
/// <param name="IqrMs">Interquartile range of the milliseconds per batch.</param>
/// <param name="MinMs">Fastest batch.</param>
/// <param name="RatioToRelu">Median over ReLU's median (1 for ReLU).</param>
/// <param name="SamplesMs">Every timed repeat, in order.</param>
public sealed record TimingRow(string Variant, string Label, double MedianMs, double IqrMs, double MinMs, double RatioToRelu, IReadOnlyList<double> SamplesMs);
