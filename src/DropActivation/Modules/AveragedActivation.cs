using DropActivation.Activations;
using DropActivation.Onnx;
using static TorchSharp.torch;

namespace DropActivation.Modules;

/// <summary>
/// The deterministic activation (1-p)·x + p·f(x): what a Drop-Activation layer computes in
/// evaluation mode, as a plain layer with no randomness and no training/eval difference.
/// Folding puts it (or, for ReLU, TorchSharp's LeakyReLU with slope 1-p) in place of
/// Drop-Activation layers for deployment.
/// </summary>
public sealed class AveragedActivation : TorchSharp.Modules.ParameterLessModule<Tensor, Tensor>, IOnnxExportable
{
    internal AveragedActivation(double p, ElementwiseActivation activation) : base(nameof(AveragedActivation))
    {
        DA.CheckP(p, nameof(p));
        this.p = p;
        this.activation = activation ?? throw new ArgumentNullException(nameof(activation));
    }

    public double p { get; }
    public ElementwiseActivation activation { get; }

    public override Tensor forward(Tensor input) => DA.functional.drop_act(input, p, training: false, activation);

    /// <summary>(1 − p)·x + p·f(x) as ONNX nodes.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input) => graph.AveragedActivation(input, activation, p);

    public override string ToString() => $"AveragedActivation(p={p}, f={activation.Name})";
}
