namespace DropActivation.Analysis.Timing;

/// <summary>Outcome of a timing run: one row per variant.</summary>
public sealed record TimingResult
{
    /// <summary>The settings.</summary>
    public required TimingOptions Options { get; init; }

    /// <summary>Input shape C×H×W of one image.</summary>
    public required int[] InputShape { get; init; }

    /// <summary>Classes of the model's head.</summary>
    public required int NumClasses { get; init; }

    /// <summary>Parameters of the model.</summary>
    public required long Parameters { get; init; }

    /// <summary>Torch intra-op threads during the measurement.</summary>
    public required int Threads { get; init; }

    /// <summary>The processor.</summary>
    public required string Cpu { get; init; }

    /// <summary>ReLU, RReLU, Drop-Activation, Drop-Activation (portable).</summary>
    public required IReadOnlyList<TimingRow> Rows { get; init; }

    /// <summary>Wall time in seconds.</summary>
    public required double Seconds { get; init; }
}
