using DropActivation.Models.Registry;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// He et al.'s pre-activation bottleneck: BN → act → 1×1 → BN → act → 3×3 (stride) → BN → act → 1×1 (×4),
/// plus the shortcut of the raw input (identity, or a bias-free 1×1 conv without BN), as in
/// bearpaw/pytorch-classification's preresnet.py (PreResNet-164).
/// </summary>
public sealed class PreActBottleneck : ResidualBlock
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

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Residual() => [bn1, relu1, conv1, bn2, relu2, conv2, bn3, relu3, conv3];

    protected override nn.Module<Tensor, Tensor>? Shortcut => downsample;
}
