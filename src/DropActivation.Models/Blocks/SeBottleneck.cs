using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// SE-ResNet bottleneck, as in Cadene/pretrained-models.pytorch's SEResNetBottleneck (the Caffe
/// original of Hu et al.): 1×1 (stride) → BN → act → 3×3 → BN → act → 1×1 (×4) → BN → SE, plus the
/// shortcut (identity, or 1×1 conv + BN), then act.
/// </summary>
public sealed class SeBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Output channels are planes × Expansion.</summary>
    public const int Expansion = 4;

    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly SqueezeExcitation se_module;
    private readonly Sequential? downsample;
    private readonly nn.Module<Tensor, Tensor> relu3;

    /// <summary>A block from <paramref name="inPlanes"/> to planes × 4 channels; SE reduction <paramref name="reduction"/>.</summary>
    public SeBottleneck(long inPlanes, long planes, long stride, long reduction, ActivationPlan plan, string stage) : base(nameof(SeBottleneck))
    {
        conv1 = Layers.StridedConv1x1(inPlanes, planes, stride);
        bn1 = nn.BatchNorm2d(planes);
        relu1 = plan.For(stage);
        conv2 = Layers.Conv3x3(planes, planes);
        bn2 = nn.BatchNorm2d(planes);
        relu2 = plan.For(stage);
        conv3 = Layers.Conv1x1(planes, planes * Expansion);
        bn3 = nn.BatchNorm2d(planes * Expansion);
        se_module = new SqueezeExcitation(planes * Expansion, reduction, plan, stage);
        if (stride != 1 || inPlanes != planes * Expansion) downsample = Layers.Projection(inPlanes, planes * Expansion, stride);
        relu3 = plan.For(stage);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = relu1.call(bn1.call(conv1.call(x)));
        h = relu2.call(bn2.call(conv2.call(h)));
        h = se_module.call(bn3.call(conv3.call(h)));
        var shortcut = downsample is null ? x : downsample.call(x);
        return relu3.call(h.add(shortcut));
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form, the SE gate included.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var h = graph.Apply(relu1, graph.Apply(bn1, graph.Apply(conv1, input)));
        h = graph.Apply(relu2, graph.Apply(bn2, graph.Apply(conv2, h)));
        h = graph.Apply(se_module, graph.Apply(bn3, graph.Apply(conv3, h)));
        var shortcut = downsample is null ? input : graph.Apply(downsample, input);
        return graph.Apply(relu3, graph.Add(h, shortcut));
    }
}
