namespace DropActivation.Analysis.PSweep;

/// <summary>Outcome of a p-sweep: one point per p and every run.</summary>
public sealed record PSweepResult
{
    /// <summary>The settings.</summary>
    public required PSweepOptions Options { get; init; }

    /// <summary>The data set's title, for the figure.</summary>
    public required string DatasetTitle { get; init; }

    /// <summary>Images in the training part and the validation part of a run's split.</summary>
    public required int TrainImages { get; init; }

    /// <summary>Images in the validation part.</summary>
    public required int ValidationImages { get; init; }

    /// <summary>One point per p, in the order of <see cref="PSweepOptions.PValues"/>.</summary>
    public required IReadOnlyList<PSweepPoint> Points { get; init; }

    /// <summary>Every run.</summary>
    public required IReadOnlyList<PSweepRun> Runs { get; init; }

    /// <summary>The p of lowest mean validation error.</summary>
    public double BestP => Points.MinBy(x => x.ValidationError.Mean)!.P;

    /// <summary>Wall time in seconds.</summary>
    public required double Seconds { get; init; }
}
