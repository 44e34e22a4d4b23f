using DropActivation.Activations;
using DropActivation.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>
/// Activation factories by name, for <see cref="ModelConfig.Activation"/> and the command line
/// (<c>--act dropact --p 0.95</c>): "relu", "rrelu" (the paper's baseline, slopes U(1/8, 1/3)),
/// "dropact" (Drop-Activation around ReLU with keep probability p), "dropact-&lt;f&gt;" (around tanh,
/// sigmoid, gelu, silu, elu) and the plain "tanh", "sigmoid", "gelu", "silu", "elu".
/// </summary>
public static class ActivationFactory
{
    /// <summary>Every name <see cref="FromName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "relu", "rrelu", "dropact", "dropact-tanh", "dropact-sigmoid", "dropact-gelu", "dropact-silu", "dropact-elu",
        "tanh", "sigmoid", "gelu", "silu", "elu",
    };

    /// <summary>ReLU, the activation of every original model.</summary>
    public static Func<nn.Module<Tensor, Tensor>> ReLU { get; } = () => nn.ReLU();

    /// <summary>A factory of fresh activation modules for a name (case-insensitive); p is Drop-Activation's keep probability.</summary>
    public static Func<nn.Module<Tensor, Tensor>> FromName(string name, double p = DA.DefaultP)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = name.Trim().ToLowerInvariant();
        if (key.StartsWith("dropact", StringComparison.Ordinal))
        {
            DA.CheckP(p);
            if (key == "dropact") return () => DA.DropAct(p);
            if (key.StartsWith("dropact-", StringComparison.Ordinal) && Names.Contains(key))
            {
                var f = ElementwiseActivation.FromName(key["dropact-".Length..]);
                return () => DA.DropAct(f, p);
            }
        }
        return key switch
        {
            "relu" => ReLU,
            "rrelu" => () => DA.RandomizedReLU(),
            "tanh" => () => nn.Tanh(),
            "sigmoid" => () => nn.Sigmoid(),
            "gelu" => () => nn.GELU(),
            "silu" => () => nn.SiLU(),
            "elu" => () => nn.ELU(),
            _ => throw new ArgumentException($"Unknown activation '{name}'. Valid: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>
    /// The display name of an activation for tables and plots: "ReLU", "RReLU", "Drop-Activation (p=0.95)",
    /// "Drop-Activation around tanh (p=0.95)", "tanh", … (an unknown name is returned as given).
    /// </summary>
    public static string Label(string name, double p = DA.DefaultP)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        return key switch
        {
            "relu" => "ReLU",
            "rrelu" => "RReLU",
            "dropact" => FormattableString.Invariant($"Drop-Activation (p={p:0.###})"),
            _ when key.StartsWith("dropact-", StringComparison.Ordinal) =>
                FormattableString.Invariant($"Drop-Activation around {key["dropact-".Length..]} (p={p:0.###})"),
            _ => name,
        };
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
