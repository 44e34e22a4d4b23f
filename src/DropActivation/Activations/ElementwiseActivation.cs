using DropActivation.Onnx;
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
    private readonly Func<IOnnxGraph, string, string>? _onnx;

    private ElementwiseActivation(string name, Func<Tensor, Tensor> apply, bool isReLU, Func<IOnnxGraph, string, string>? onnx,
        Func<nn.Module<Tensor, Tensor>>? module = null)
    {
        Name = name;
        Module = module;
        _apply = apply;
        IsReLU = isReLU;
        _onnx = onnx;
    }

    /// <summary>Name used in reports and module descriptions, e.g. "relu" or "tanh".</summary>
    public string Name { get; }

    /// <summary>Fresh TorchSharp modules computing f (null for a <see cref="Custom"/> one).</summary>
    public Func<nn.Module<Tensor, Tensor>>? Module { get; }

    /// <summary>True only for the rectifier max(x, 0).</summary>
    public bool IsReLU { get; }

    /// <summary>Applies f element-wise; never modifies its input.</summary>
    public Tensor Apply(Tensor x) => _apply(x);

    /// <summary>Whether <see cref="ExportOnnx"/> can write f as ONNX (every built-in activation; no <see cref="Custom"/> one).</summary>
    public bool HasOnnxExport => _onnx is not null;

    /// <summary>
    /// Adds f applied to <paramref name="input"/> to an ONNX graph and returns the result's name: Relu, Tanh,
    /// Sigmoid and Elu as themselves, GELU as 0.5·x·(1 + erf(x/√2)) (its tanh form with Tanh), SiLU as x·sigmoid(x).
    /// </summary>
    /// <exception cref="OnnxExportException">A custom function (its ONNX form is unknown), or GELU below opset 9 (no Erf).</exception>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (_onnx is null)
            throw new OnnxExportException(
                $"The activation '{Name}' is a custom function; only relu, tanh, sigmoid, gelu, gelu-tanh, silu and elu have an ONNX form.");
        return _onnx(graph, input);
    }

    public override string ToString() => Name;

    public static ElementwiseActivation ReLU { get; } = new("relu", x => nn.functional.relu(x), true, (g, x) => g.Node("Relu", new[] { x }), () => nn.ReLU());
    public static ElementwiseActivation Tanh { get; } = new("tanh", x => x.tanh(), false, (g, x) => g.Node("Tanh", new[] { x }), () => nn.Tanh());
    public static ElementwiseActivation Sigmoid { get; } = new("sigmoid", x => x.sigmoid(), false, (g, x) => g.Node("Sigmoid", new[] { x }), () => nn.Sigmoid());
    public static ElementwiseActivation GELU { get; } = new("gelu", x => nn.functional.gelu(x), false, GeluErfOnnx, () => nn.GELU());
    /// <summary>GELU with the tanh approximation (PyTorch's <c>GELU(approximate="tanh")</c>).</summary>
    public static ElementwiseActivation GELUTanh { get; } = new("gelu-tanh", x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh), false, GeluTanhOnnx,
        () => nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh));
    public static ElementwiseActivation SiLU { get; } = new("silu", x => nn.functional.silu(x), false,
        (g, x) => g.Mul(x, g.Node("Sigmoid", new[] { x })), () => nn.SiLU());
    public static ElementwiseActivation ELU { get; } = new("elu", x => nn.functional.elu(x, 1.0), false, EluOnnx(1.0), () => nn.ELU());

    /// <summary>The built-in activations, each with its ONNX form and module.</summary>
    public static IReadOnlyList<ElementwiseActivation> BuiltIn { get; } = [ReLU, Tanh, Sigmoid, GELU, GELUTanh, SiLU, ELU];

    private static Func<IOnnxGraph, string, string> EluOnnx(double alpha) =>
        (g, x) => g.Node("Elu", new[] { x }, OnnxAttribute.Float("alpha", alpha));

    /// <summary>0.5·x·(1 + erf(x/√2)), PyTorch's exact GELU.</summary>
    private static string GeluErfOnnx(IOnnxGraph g, string x)
    {
        g.RequireOpset(9, "GELU (its ONNX form uses Erf)");
        var erf = g.Node("Erf", new[] { g.Scale(x, 1.0 / Math.Sqrt(2.0), "inv_sqrt2") });
        var onePlus = g.Add(erf, g.Constant("one", Array.Empty<long>(), new[] { 1f }));
        return g.Mul(g.Scale(x, 0.5, "half"), onePlus);
    }

    /// <summary>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's GELU(approximate="tanh").</summary>
    private static string GeluTanhOnnx(IOnnxGraph g, string x)
    {
        var cube = g.Mul(g.Mul(x, x), x);
        var inner = g.Add(x, g.Scale(cube, 0.044715, "gelu_c"));
        var t = g.Node("Tanh", new[] { g.Scale(inner, Math.Sqrt(2.0 / Math.PI), "sqrt_2_over_pi") });
        var onePlus = g.Add(t, g.Constant("one", Array.Empty<long>(), new[] { 1f }));
        return g.Mul(g.Scale(x, 0.5, "half"), onePlus);
    }

    /// <summary>A user's own element-wise function. It must act on each element independently.</summary>
    public static ElementwiseActivation Custom(string name, Func<Tensor, Tensor> apply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(apply);
        return new ElementwiseActivation(name, apply, false, null);
    }

    /// <summary>The built-in activations by name (case-insensitive): relu, tanh, sigmoid, gelu, gelu-tanh (or gelu_tanh), silu (or swish), elu.</summary>
    public static ElementwiseActivation FromName(string name)
    {
        var key = name.ToLowerInvariant() switch { "gelu_tanh" => "gelu-tanh", "swish" => "silu", var k => k };
        return BuiltIn.FirstOrDefault(a => a.Name == key)
            ?? throw new ArgumentException($"Unknown activation '{name}'. Valid: {string.Join(", ", BuiltIn.Select(a => a.Name))}.", nameof(name));
    }

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
        TorchSharp.Modules.ELU e => new ElementwiseActivation($"elu(alpha={e.alpha})", x => nn.functional.elu(x, e.alpha), false, EluOnnx(e.alpha)),
        _ => null,
    };
}
