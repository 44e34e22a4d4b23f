namespace DropActivation.Analysis.ShiftRatio;

/// <summary>Outcome of a shift-ratio measurement: one row per activation and epoch and the reference value.</summary>
public sealed record ShiftRatioResult
{
    /// <summary>The settings.</summary>
    public required ShiftRatioOptions Options { get; init; }

    /// <summary>The data set's title, for the figure.</summary>
    public required string DatasetTitle { get; init; }

    /// <summary>The stage measured.</summary>
    public required string Stage { get; init; }

    /// <summary>Channels of the stage output.</summary>
    public required int Channels { get; init; }

    /// <summary>Training images.</summary>
    public required int TrainImages { get; init; }

    /// <summary>Property 2's closed form at p, ((1/2 − 1/(2π))p² − p + 1)/(1 − p/2 − p²/(2π)).</summary>
    public required double ClosedForm { get; init; }

    /// <summary>Rows per activation, epochs 0 … E.</summary>
    public required IReadOnlyList<ShiftRatioEpoch> Epochs { get; init; }

    /// <summary>Wall time in seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>The ratio after the last epoch of <paramref name="activation"/>'s run.</summary>
    public double FinalRatio(string activation) => Epochs.Last(e => string.Equals(e.Activation, activation, StringComparison.OrdinalIgnoreCase)).Ratio;
}
