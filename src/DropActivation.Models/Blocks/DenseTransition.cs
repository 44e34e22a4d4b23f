using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// DenseNet-BC's transition, as in bearpaw/pytorch-classification's densenet.py:
/// BN → act → 1×1 conv (compression) → 2×2 average pooling.
/// </summary>
public sealed class DenseTransition : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Conv2d conv1;
    private readonly AvgPool2d pool;

    /// <summary>A transition from <paramref name="inPlanes"/> to <paramref name="outPlanes"/> channels at half the resolution.</summary>
    public DenseTransition(long inPlanes, long outPlanes, ActivationPlan plan, string stage) : base(nameof(DenseTransition))
    {
        bn1 = nn.BatchNorm2d(inPlanes);
        relu = plan.For(stage);
        conv1 = Layers.Conv1x1(inPlanes, outPlanes);
        pool = nn.AvgPool2d(2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => pool.forward(conv1.forward(relu.forward(bn1.forward(x))));

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input) =>
        graph.Apply(pool, graph.Apply(conv1, graph.Apply(relu, graph.Apply(bn1, input))));
}
