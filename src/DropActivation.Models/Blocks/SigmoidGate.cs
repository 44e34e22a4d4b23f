using DropActivation.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// The logistic gate of a squeeze-and-excitation module. A module of its own type (not TorchSharp's
/// Sigmoid) on purpose: it is an attention gate, not an activation layer, so model surgery and the
/// activation factory leave it alone (the paper replaces ReLUs, never SE gates).
/// </summary>
public sealed class SigmoidGate : TorchSharp.Modules.ParameterLessModule<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Creates the gate.</summary>
    public SigmoidGate() : base(nameof(SigmoidGate)) { }

    public override Tensor forward(Tensor input) => torch.sigmoid(input);

    /// <summary>ONNX Sigmoid.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input) => graph.Node("Sigmoid", new[] { input });
}
