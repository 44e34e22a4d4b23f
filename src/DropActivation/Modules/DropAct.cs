using DropActivation.Activations;
using DropActivation.Onnx;
using static TorchSharp.torch;

namespace DropActivation.Modules;

/// <summary>Which implementation the training-mode forward uses.</summary>
public enum DropActBackend
{
    /// <summary>The fast CPU kernel where it applies (ReLU, CPU, float32/float64/bfloat16), else <see cref="Portable"/>.</summary>
    Auto,
    /// <summary>Plain tensor operations with a dense Bernoulli mask: any device, any floating dtype.</summary>
    Portable,
    /// <summary>Always the fast CPU kernel; an error where it does not apply.</summary>
    Fast,
}

/// <summary>
/// Drop-Activation (Liang, Khoo, Yang): in training every element keeps its nonlinearity f with
/// probability p and is passed through unchanged otherwise, independently per element:
/// y = (1-P)·x + P·f(x), P ~ Bernoulli(p). In evaluation it is the deterministic average
/// (1-p)·x + p·f(x); for ReLU, leaky_relu(x, 1-p). No rescaling.
/// </summary>
public sealed class DropAct : TorchSharp.Modules.ParameterLessModule<Tensor, Tensor>, IOnnxExportable
{
    private double _p;

    internal DropAct(double p, ElementwiseActivation activation, DropActBackend backend) : base(nameof(DropAct))
    {
        DA.CheckP(p, nameof(p));
        _p = p;
        this.activation = activation ?? throw new ArgumentNullException(nameof(activation));
        this.backend = backend;
    }

    /// <summary>Probability of keeping the nonlinearity of an element (the paper's p; 0.95 by default).</summary>
    public double p
    {
        get => _p;
        set { DA.CheckP(value, nameof(p)); _p = value; }
    }

    /// <summary>The element-wise activation f that is kept or dropped.</summary>
    public ElementwiseActivation activation { get; }

    /// <summary>Implementation choice for training mode.</summary>
    public DropActBackend backend { get; set; }

    public override Tensor forward(Tensor input) => DA.functional.drop_act(input, _p, training, activation, backend);

    /// <summary>The evaluation form, whatever the mode: (1 − p)·x + p·f(x), LeakyRelu(1 − p) for ReLU.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input) => graph.AveragedActivation(input, activation, _p);

    public override string ToString() => $"DropAct(p={_p}, f={activation.Name})";
}
