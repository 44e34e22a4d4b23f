using DropActivation.Models.Registry;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// He et al.'s basic residual block (post-activation): conv3×3 → BN → act → conv3×3 → BN, plus the
/// shortcut (identity, or 1×1 conv + BN when the shape changes), then act. The same block in
/// bearpaw/pytorch-classification's CIFAR ResNet, kuangliu/pytorch-cifar's ResNet-18 and torchvision's ResNet-34.
/// </summary>
public sealed class BasicBlock : ResidualBlock
{
    /// <summary>Output channels are planes × Expansion.</summary>
    public const int Expansion = 1;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly nn.Module<Tensor, Tensor> relu2;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="planes"/> channels with the given stride.</summary>
    public BasicBlock(long inPlanes, long planes, long stride, ActivationPlan plan, string stage) : base(nameof(BasicBlock))
    {
        conv1 = Layers.Conv3x3(inPlanes, planes, stride);
        bn1 = nn.BatchNorm2d(planes);
        relu1 = plan.For(stage);
        conv2 = Layers.Conv3x3(planes, planes);
        bn2 = nn.BatchNorm2d(planes);
        if (stride != 1 || inPlanes != planes) downsample = Layers.Projection(inPlanes, planes, stride);
        relu2 = plan.For(stage);
        RegisterComponents();
    }

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Residual() => [conv1, bn1, relu1, conv2, bn2];

    protected override nn.Module<Tensor, Tensor>? Shortcut => downsample;

    protected override nn.Module<Tensor, Tensor> After => relu2;
}
