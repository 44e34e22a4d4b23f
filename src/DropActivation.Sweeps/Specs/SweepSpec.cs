namespace DropActivation.Sweeps.Specs;

/// <summary>
/// A sweep as written in a spec file (<see cref="SweepSpecReader"/>): the grid
/// models × data sets × activations × p values × seeds, one preset choice and the <c>dropact train</c>
/// options every run shares. <see cref="Planning.SweepPlan.Expand"/> turns it into runs.
/// p values apply to Drop-Activation runs only (activations whose name starts with "dropact");
/// the other activations get one run per seed.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>The sweep's name (lower-case letters, digits, '-', '_', '.'); the default output folder is <c>runs/NAME</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the sweep reproduces, for people.</summary>
    public string? Description { get; init; }

    /// <summary>Zoo model names, in order.</summary>
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Data set names, in order.</summary>
    public required IReadOnlyList<string> Datasets { get; init; }

    /// <summary>Activations ("relu", "rrelu", "dropact", ...), in order.</summary>
    public required IReadOnlyList<string> Activations { get; init; }

    /// <summary>Drop-Activation keep probabilities; empty: train's default, and no p in the run ids.</summary>
    public IReadOnlyList<double> PValues { get; init; } = Array.Empty<double>();

    /// <summary>Seeds, in order.</summary>
    public required IReadOnlyList<long> Seeds { get; init; }

    /// <summary>The preset(s).</summary>
    public PresetChoice Preset { get; init; } = PresetChoice.None;

    /// <summary>Options passed to every <c>dropact train</c>, in the spec's order.</summary>
    public IReadOnlyList<TrainOverride> Overrides { get; init; } = Array.Empty<TrainOverride>();

    /// <summary>Data root (<c>--data</c> of train) as written in the spec, or null (then the command line must give it).</summary>
    public string? Data { get; init; }

    /// <summary>Output folder of the sweep as written in the spec, or null for <c>runs/NAME</c>.</summary>
    public string? Out { get; init; }
}
