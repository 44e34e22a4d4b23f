using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// DenseNet-BC's bottleneck layer, as in bearpaw/pytorch-classification's densenet.py:
/// BN → act → 1×1 conv (4k) → BN → act → 3×3 conv (k), concatenated to its input.
/// </summary>
public sealed class DenseBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Conv2d conv2;

    /// <summary>A layer that adds <paramref name="growthRate"/> channels to <paramref name="inPlanes"/>.</summary>
    public DenseBottleneck(long inPlanes, long growthRate, ActivationPlan plan, string stage) : base(nameof(DenseBottleneck))
    {
        long planes = 4 * growthRate;
        bn1 = nn.BatchNorm2d(inPlanes);
        relu1 = plan.For(stage);
        conv1 = Layers.Conv1x1(inPlanes, planes);
        bn2 = nn.BatchNorm2d(planes);
        relu2 = plan.For(stage);
        conv2 = Layers.Conv3x3(planes, growthRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = conv1.call(relu1.call(bn1.call(x)));
        var y = conv2.call(relu2.call(bn2.call(h)));
        return torch.cat(new[] { x, y }, 1);
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form: the new channels concatenated to the input.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var h = graph.Apply(conv1, graph.Apply(relu1, graph.Apply(bn1, input)));
        var y = graph.Apply(conv2, graph.Apply(relu2, graph.Apply(bn2, h)));
        return graph.Concat(1, input, y);
    }
}
