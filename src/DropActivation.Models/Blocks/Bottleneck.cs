using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// He et al.'s bottleneck residual block (post-activation): 1×1 → BN → act → 3×3 (stride) → BN → act →
/// 1×1 (×4) → BN, plus the shortcut (identity, or 1×1 conv + BN), then act. As in
/// bearpaw/pytorch-classification's CIFAR ResNet-164 (and torchvision's ResNet-50, stride on the 3×3).
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Output channels are planes × Expansion.</summary>
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;
    private readonly nn.Module<Tensor, Tensor> relu3;

    /// <summary>A block from <paramref name="inPlanes"/> to planes × 4 channels with the given stride.</summary>
    public Bottleneck(long inPlanes, long planes, long stride, ActivationPlan plan, string stage) : base(nameof(Bottleneck))
    {
        conv1 = Layers.Conv1x1(inPlanes, planes);
        bn1 = nn.BatchNorm2d(planes);
        relu1 = plan.For(stage);
        conv2 = Layers.Conv3x3(planes, planes, stride);
        bn2 = nn.BatchNorm2d(planes);
        relu2 = plan.For(stage);
        conv3 = Layers.Conv1x1(planes, planes * Expansion);
        bn3 = nn.BatchNorm2d(planes * Expansion);
        if (stride != 1 || inPlanes != planes * Expansion) downsample = Layers.Projection(inPlanes, planes * Expansion, stride);
        relu3 = plan.For(stage);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var a = conv1.call(x);
        var b = bn1.call(a);
        var c = relu1.call(b);
        var d = conv2.call(c);
        var e = bn2.call(d);
        var f = relu2.call(e);
        var g = conv3.call(f);
        var h = bn3.call(g);
        var shortcut = downsample is null ? x : downsample.call(x);
        var sum = h.add(shortcut);
        return relu3.call(sum);
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var c = graph.Apply(relu1, graph.Apply(bn1, graph.Apply(conv1, input)));
        var f = graph.Apply(relu2, graph.Apply(bn2, graph.Apply(conv2, c)));
        var h = graph.Apply(bn3, graph.Apply(conv3, f));
        var shortcut = downsample is null ? input : graph.Apply(downsample, input);
        return graph.Apply(relu3, graph.Add(h, shortcut));
    }
}
