using DropActivation.Models.Registry;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// He et al.'s pre-activation basic block (identity mappings): BN → act → conv3×3 → BN → act → conv3×3,
/// plus the shortcut of the raw input (identity, or a bias-free 1×1 conv without BN), as in
/// bearpaw/pytorch-classification's preresnet.py.
/// </summary>
public sealed class PreActBasicBlock : ResidualBlock
{
    /// <summary>Output channels are planes × Expansion.</summary>
    public const int Expansion = 1;

    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Conv2d conv2;
    private readonly Sequential? downsample;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels with the given stride.</summary>
    public PreActBasicBlock(long inPlanes, long planes, long stride, ActivationPlan plan, string stage) : base(nameof(PreActBasicBlock))
    {
        bn1 = nn.BatchNorm2d(inPlanes);
        relu1 = plan.For(stage);
        conv1 = Layers.Conv3x3(inPlanes, planes, stride);
        bn2 = nn.BatchNorm2d(planes);
        relu2 = plan.For(stage);
        conv2 = Layers.Conv3x3(planes, planes);
        if (stride != 1 || inPlanes != planes) downsample = Layers.Projection(inPlanes, planes, stride, batchNorm: false);
        RegisterComponents();
    }

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Residual() => [bn1, relu1, conv1, bn2, relu2, conv2];

    protected override nn.Module<Tensor, Tensor>? Shortcut => downsample;
}
