using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// He et al.'s pre-activation bottleneck: BN → act → 1×1 → BN → act → 3×3 (stride) → BN → act → 1×1 (×4),
/// plus the shortcut of the raw input (identity, or a bias-free 1×1 conv without BN), as in
/// bearpaw/pytorch-classification's preresnet.py (PreResNet-164).
/// </summary>
public sealed class PreActBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Output channels are planes × Expansion.</summary>
    public const int Expansion = 4;

    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn3;
    private readonly nn.Module<Tensor, Tensor> relu3;
    private readonly Conv2d conv3;
    private readonly Sequential? downsample;

    /// <summary>A block from <paramref name="inPlanes"/> to planes × 4 channels with the given stride.</summary>
    public PreActBottleneck(long inPlanes, long planes, long stride, ActivationPlan plan, string stage) : base(nameof(PreActBottleneck))
    {
        bn1 = nn.BatchNorm2d(inPlanes);
        relu1 = plan.For(stage);
        conv1 = Layers.Conv1x1(inPlanes, planes);
        bn2 = nn.BatchNorm2d(planes);
        relu2 = plan.For(stage);
        conv2 = Layers.Conv3x3(planes, planes, stride);
        bn3 = nn.BatchNorm2d(planes);
        relu3 = plan.For(stage);
        conv3 = Layers.Conv1x1(planes, planes * Expansion);
        if (stride != 1 || inPlanes != planes * Expansion)
            downsample = Layers.Projection(inPlanes, planes * Expansion, stride, batchNorm: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = bn1.call(x);
        var b = relu1.call(a);
        var c = conv1.call(b);
        var d = bn2.call(c);
        var e = relu2.call(d);
        var f = conv2.call(e);
        var g = bn3.call(f);
        var h = relu3.call(g);
        var i = conv3.call(h);
        var shortcut = downsample is null ? x : downsample.call(x);
        return i.add(shortcut);
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var c = graph.Apply(conv1, graph.Apply(relu1, graph.Apply(bn1, input)));
        var f = graph.Apply(conv2, graph.Apply(relu2, graph.Apply(bn2, c)));
        var i = graph.Apply(conv3, graph.Apply(relu3, graph.Apply(bn3, f)));
        var shortcut = downsample is null ? input : graph.Apply(downsample, input);
        return graph.Add(i, shortcut);
    }
}
