using DropActivation.Sweeps.Specs;

namespace DropActivation.Sweeps.Planning;

/// <summary>
/// A spec expanded into its runs, in a fixed order: models, then data sets, then activations, then p values
/// (Drop-Activation runs only), then seeds, each in the spec's order. Expanding the same spec always gives
/// the same list, so a Slurm array index names the same run on every node.
/// </summary>
public sealed record SweepPlan
{
    /// <summary>The spec the plan comes from.</summary>
    public required SweepSpec Spec { get; init; }

    /// <summary>Absolute output folder of the sweep; run i lives in <c>Root/Runs[i].Id</c>.</summary>
    public required string Root { get; init; }

    /// <summary>Absolute data root passed to train, or null when neither the spec nor the command line gives one.</summary>
    public string? DataRoot { get; init; }

    /// <summary>The runs.</summary>
    public required IReadOnlyList<SweepRun> Runs { get; init; }

    /// <summary>The sweep's bookkeeping folder (<c>Root/.sweep</c>: Slurm scripts, spec snapshots, submissions).</summary>
    public string StateFolder => Path.Combine(Root, ".sweep");

    /// <summary>The data root, or an error saying how to give one.</summary>
    /// <exception cref="SweepSpecException">No data root.</exception>
    public string RequireDataRoot() => DataRoot
        ?? throw new SweepSpecException($"sweep '{Spec.Name}' has no data root: pass --data DIR (or set \"data\" in the spec)");

    /// <summary>Expands <paramref name="spec"/> into runs below <paramref name="root"/>.</summary>
    /// <exception cref="SweepSpecException">Two grid points with the same id, or a model without a preset in a per-model preset map.</exception>
    public static SweepPlan Expand(SweepSpec spec, string root, string? dataRoot)
    {
        root = Path.GetFullPath(root);
        var grid = new List<(string Model, string Dataset, string Act, double? P, string? Preset)>();
        foreach (var model in spec.Models)
        {
            var preset = spec.Preset.For(model);
            foreach (var dataset in spec.Datasets)
                foreach (var act in spec.Activations)
                {
                    IEnumerable<double?> ps = SweepSpecReader.IsDropActivation(act) && spec.PValues.Count > 0
                        ? spec.PValues.Select(p => (double?)p) : [null];
                    foreach (var p in ps) grid.Add((model, dataset, act, p, preset));
                }
        }
        // Seed-major: every grid point gets its first seed before any gets a second, so a sweep
        // stopped part-way has covered the whole grid with fewer seeds rather than part of it.
        var runs = new List<SweepRun>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in spec.Seeds)
            foreach (var (model, dataset, act, p, preset) in grid)
            {
                var id = $"{model}_{dataset}_{act}{(p is { } v ? "_p" + Format.P(v) : "")}_s{Format.Int(seed)}";
                if (!ids.Add(id)) throw new SweepSpecException($"two runs would share the id '{id}'");
                runs.Add(new SweepRun(runs.Count, id, model, dataset, act, p, seed, preset, spec.Overrides, Path.Combine(root, id)));
            }
        return new SweepPlan { Spec = spec, Root = root, DataRoot = dataRoot is null ? null : Path.GetFullPath(dataRoot), Runs = runs };
    }

    /// <summary>
    /// Loads a spec file and expands it. Output folder: <paramref name="outOverride"/> (relative to the
    /// current folder), else the spec's "out" (relative to the spec file), else <c>runs/NAME</c> in the
    /// current folder. Data root likewise: <paramref name="dataOverride"/>, else the spec's "data".
    /// </summary>
    public static SweepPlan Load(string specPath, string? outOverride, string? dataOverride)
    {
        var spec = SweepSpecReader.ReadFile(specPath);
        var specDir = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        var root = outOverride is not null ? Path.GetFullPath(outOverride)
            : spec.Out is not null ? Path.GetFullPath(spec.Out, specDir)
            : Path.GetFullPath(Path.Combine("runs", spec.Name));
        var data = dataOverride is not null ? Path.GetFullPath(dataOverride)
            : spec.Data is not null ? Path.GetFullPath(spec.Data, specDir)
            : null;
        return Expand(spec, root, data);
    }
}
