using DropActivation.Onnx;
using static TorchSharp.torch;

namespace DropActivation.Modules;

/// <summary>
/// Randomized leaky ReLU (Xu et al. 2015) as the Drop-Activation paper uses it as a baseline:
/// in training, y = x for x &gt;= 0 and y = a·x with a ~ U(lower, upper) drawn per element;
/// in evaluation, a = (lower + upper) / 2. Defaults 1/8 and 1/3.
/// (TorchSharp's own nn.RReLU never randomises, so it cannot serve as this baseline.)
/// </summary>
public sealed class RandomizedReLU : TorchSharp.Modules.ParameterLessModule<Tensor, Tensor>, IOnnxExportable
{
    internal RandomizedReLU(double lower, double upper, DropActBackend backend) : base(nameof(RandomizedReLU))
    {
        DA.CheckSlopes(lower, upper);
        this.lower = lower;
        this.upper = upper;
        this.backend = backend;
    }

    public double lower { get; }
    public double upper { get; }

    /// <summary>Implementation for training mode: the fast CPU kernel where it applies, or plain tensor operations.</summary>
    public DropActBackend backend { get; set; }

    public override Tensor forward(Tensor input) => DA.functional.rrelu(input, lower, upper, training, backend);

    /// <summary>The evaluation form, whatever the mode: LeakyRelu with slope (lower + upper) / 2.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input) =>
        graph.Node("LeakyRelu", new[] { input }, OnnxAttribute.Float("alpha", (lower + upper) / 2.0));

    public override string ToString() => $"RandomizedReLU(lower={lower}, upper={upper})";
}
