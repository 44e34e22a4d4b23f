using DropActivation.Models.Registry;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// SE-ResNet bottleneck, as in Cadene/pretrained-models.pytorch's SEResNetBottleneck (the Caffe
/// original of Hu et al.): 1×1 (stride) → BN → act → 3×3 → BN → act → 1×1 (×4) → BN → SE, plus the
/// shortcut (identity, or 1×1 conv + BN), then act.
/// </summary>
public sealed class SeBottleneck : ResidualBlock
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

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Residual() => [conv1, bn1, relu1, conv2, bn2, relu2, conv3, bn3, se_module];

    protected override nn.Module<Tensor, Tensor>? Shortcut => downsample;

    protected override nn.Module<Tensor, Tensor> After => relu3;
}
