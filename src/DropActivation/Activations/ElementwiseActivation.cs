using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Activations;

/// <summary>
/// An element-wise activation f, described so that Drop-Activation can wrap it:
/// a name for reports, the function itself, and whether it is exactly ReLU (which has a
/// closed-form test-time form, <c>leaky_relu(x, 1 - p)</c>, and a fast CPU kernel).
/// </summary>
public sealed class ElementwiseActivation
{
    private readonly Func<Tensor, Tensor> _apply;

    private ElementwiseActivation(string name, Func<Tensor, Tensor> apply, bool isReLU)
    {
        Name = name;
        _apply = apply;
        IsReLU = isReLU;
    }

    /// <summary>Name used in reports and module descriptions, e.g. "relu" or "tanh".</summary>
    public string Name { get; }

    /// <summary>True only for the rectifier max(x, 0).</summary>
    public bool IsReLU { get; }

    /// <summary>Applies f element-wise; never modifies its input.</summary>
    public Tensor Apply(Tensor x) => _apply(x);

    public override string ToString() => Name;

    public static ElementwiseActivation ReLU { get; } = new("relu", x => nn.functional.relu(x), true);
    public static ElementwiseActivation Tanh { get; } = new("tanh", x => x.tanh(), false);
    public static ElementwiseActivation Sigmoid { get; } = new("sigmoid", x => x.sigmoid(), false);
    public static ElementwiseActivation GELU { get; } = new("gelu", x => nn.functional.gelu(x), false);
    /// <summary>GELU with the tanh approximation (PyTorch's <c>GELU(approximate="tanh")</c>).</summary>
    public static ElementwiseActivation GELUTanh { get; } = new("gelu-tanh", x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh), false);
    public static ElementwiseActivation SiLU { get; } = new("silu", x => nn.functional.silu(x), false);
    public static ElementwiseActivation ELU { get; } = new("elu", x => nn.functional.elu(x, 1.0), false);

    /// <summary>A user's own element-wise function. It must act on each element independently.</summary>
    public static ElementwiseActivation Custom(string name, Func<Tensor, Tensor> apply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(apply);
        return new ElementwiseActivation(name, apply, false);
    }

    /// <summary>The built-in activations by name (case-insensitive): relu, tanh, sigmoid, gelu, gelu-tanh, silu, elu.</summary>
    public static ElementwiseActivation FromName(string name) => name.ToLowerInvariant() switch
    {
        "relu" => ReLU,
        "tanh" => Tanh,
        "sigmoid" => Sigmoid,
        "gelu" => GELU,
        "gelu-tanh" or "gelu_tanh" => GELUTanh,
        "silu" or "swish" => SiLU,
        "elu" => ELU,
        _ => throw new ArgumentException($"Unknown activation '{name}'. Valid: relu, tanh, sigmoid, gelu, gelu-tanh, silu, elu.", nameof(name)),
    };

    /// <summary>
    /// Recognises the activation that a TorchSharp module computes, for model surgery:
    /// ReLU, Tanh, Sigmoid, GELU, SiLU and ELU modules, with their settings (GELU's approximation,
    /// ELU's alpha; ReLU's and SiLU's inplace flag does not change the function, and Drop-Activation
    /// never works in place). Returns null for anything else.
    /// </summary>
    public static ElementwiseActivation? FromModule(nn.Module module) => module switch
    {
        TorchSharp.Modules.ReLU => ReLU,
        TorchSharp.Modules.Tanh => Tanh,
        TorchSharp.Modules.Sigmoid => Sigmoid,
        TorchSharp.Modules.GELU { approximate: TorchSharp.Modules.GELU.Approximate.tanh } => GELUTanh,
        TorchSharp.Modules.GELU => GELU,
        TorchSharp.Modules.SiLU => SiLU,
        TorchSharp.Modules.ELU e when e.alpha == 1.0 => ELU,
        TorchSharp.Modules.ELU e => Custom($"elu(alpha={e.alpha})", x => nn.functional.elu(x, e.alpha)),
        _ => null,
    };
}
