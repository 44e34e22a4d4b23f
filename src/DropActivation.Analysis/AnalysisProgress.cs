namespace DropActivation.Analysis;

/// <summary>A progress report of a long analysis: which task, and how far (0..1).</summary>
public readonly record struct AnalysisProgress(string Task, double Fraction, string? Message = null);
