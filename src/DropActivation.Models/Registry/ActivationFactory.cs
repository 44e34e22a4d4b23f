using DropActivation.Activations;
using DropActivation.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>One row of the activation table: a name, what it builds and how tables and plots call it.</summary>
/// <param name="Name">The name on the command line, in config.json, sweeps and CSVs.</param>
/// <param name="Title">Display name: "ReLU", "Drop-Activation", "Drop-Activation around tanh", "tanh".</param>
/// <param name="PaperColumn">The column of the paper's tables (Baseline, RReLU, Drop-Act), null for the others.</param>
/// <param name="TakesP">Whether Drop-Activation's keep probability p applies.</param>
/// <param name="Create">Fresh modules for a keep probability (ignored unless <paramref name="TakesP"/>).</param>
public sealed record ActivationKind(string Name, string Title, string? PaperColumn, bool TakesP, Func<double, Func<nn.Module<Tensor, Tensor>>> Create)
{
    /// <summary>The title with p where it applies: "Drop-Activation (p=0.95)" (<paramref name="equals"/> " = " gives "p = 0.95").</summary>
    public string Label(double p, string equals = "=") => TakesP ? FormattableString.Invariant($"{Title} (p{equals}{p:0.###})") : Title;

    /// <summary>The report's column: the paper's (with "p=…" when p is not the paper's 0.95), else the name.</summary>
    public string ReportLabel(double p) => PaperColumn is null ? Name
        : TakesP && Math.Abs(p - DA.DefaultP) >= 1e-12 ? FormattableString.Invariant($"{PaperColumn} p={p:0.###}") : PaperColumn;
}

/// <summary>
/// The activation table, for <see cref="ModelConfig.Activation"/> and the command line (<c>--act dropact --p 0.95</c>):
/// "relu", "rrelu" (the paper's baseline, slopes U(1/8, 1/3)), "dropact" (Drop-Activation around ReLU with keep
/// probability p), "dropact-&lt;f&gt;" around each other built-in <see cref="ElementwiseActivation"/> and the plain f.
/// Adding an activation is one row of <see cref="All"/> (an element-wise f: one entry of <see cref="ElementwiseActivation.BuiltIn"/>).
/// </summary>
public static class ActivationFactory
{
    /// <summary>ReLU, the activation of every original model.</summary>
    public static Func<nn.Module<Tensor, Tensor>> ReLU { get; } = () => nn.ReLU();

    /// <summary>Every activation, in the order of help texts.</summary>
    public static IReadOnlyList<ActivationKind> All { get; } =
    [
        new("relu", "ReLU", "Baseline", false, _ => ReLU),
        new("rrelu", "RReLU", "RReLU", false, _ => () => DA.RandomizedReLU()),
        new("dropact", "Drop-Activation", "Drop-Act", true, p => () => DA.DropAct(p)),
        .. ElementwiseActivation.BuiltIn.Where(f => !f.IsReLU)
            .Select(f => new ActivationKind($"dropact-{f.Name}", $"Drop-Activation around {f.Name}", null, true, p => () => DA.DropAct(f, p))),
        .. ElementwiseActivation.BuiltIn.Where(f => !f.IsReLU).Select(f => new ActivationKind(f.Name, f.Name, null, false, _ => f.Module!)),
    ];

    /// <summary>Every name <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    /// <summary>The row of a name (case-insensitive), or null.</summary>
    public static ActivationKind? Find(string name) =>
        All.FirstOrDefault(a => a.Name == name.Trim().ToLowerInvariant());

    /// <summary>The row of a name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones).</exception>
    public static ActivationKind Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Find(name) ?? throw new ArgumentException($"Unknown activation '{name}'. Valid: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>A factory of fresh activation modules for a name (case-insensitive); p is Drop-Activation's keep probability.</summary>
    public static Func<nn.Module<Tensor, Tensor>> FromName(string name, double p = DA.DefaultP)
    {
        var kind = Get(name);
        if (kind.TakesP) DA.CheckP(p);
        return kind.Create(p);
    }

    /// <summary>
    /// The display name of an activation for tables and plots: "ReLU", "RReLU", "Drop-Activation (p=0.95)",
    /// "Drop-Activation around tanh (p=0.95)", "tanh", … (an unknown name is returned as given).
    /// </summary>
    public static string Label(string name, double p = DA.DefaultP)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(name)?.Label(p) ?? name;
    }

    /// <summary>
    /// Whether a module is an activation layer: the element-wise activations model surgery recognises
    /// (ReLU, Tanh, Sigmoid, GELU, SiLU, ELU), Drop-Activation, RandomizedReLU, the averaged test-time
    /// form and LeakyReLU (what folding leaves).
    /// </summary>
    public static bool IsActivation(nn.Module module) =>
        ElementwiseActivation.FromModule(module) is not null
        || module is DropAct or RandomizedReLU or AveragedActivation or TorchSharp.Modules.LeakyReLU;
}
