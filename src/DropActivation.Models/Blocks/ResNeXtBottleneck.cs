using DropActivation.Models.Registry;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// ResNeXt's aggregated bottleneck, as in bearpaw/pytorch-classification's resnext.py:
/// 1×1 (D) → BN → act → grouped 3×3 (D, cardinality groups, stride) → BN → act → 1×1 (out) → BN,
/// plus the shortcut (identity, or 1×1 conv + BN when the widths differ), then act.
/// </summary>
public sealed class ResNeXtBottleneck : ResidualBlock
{
    private readonly Conv2d conv_reduce;
    private readonly BatchNorm2d bn_reduce;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv_conv;
    private readonly BatchNorm2d bn;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Conv2d conv_expand;
    private readonly BatchNorm2d bn_expand;
    private readonly Sequential? shortcut;
    private readonly nn.Module<Tensor, Tensor> relu3;

    /// <summary>A block with inner width <paramref name="innerWidth"/> (cardinality × group width).</summary>
    public ResNeXtBottleneck(long inChannels, long outChannels, long innerWidth, long cardinality, long stride, ActivationPlan plan, string stage)
        : base(nameof(ResNeXtBottleneck))
    {
        conv_reduce = Layers.Conv1x1(inChannels, innerWidth);
        bn_reduce = nn.BatchNorm2d(innerWidth);
        relu1 = plan.For(stage);
        conv_conv = Layers.Conv3x3(innerWidth, innerWidth, stride, groups: cardinality);
        bn = nn.BatchNorm2d(innerWidth);
        relu2 = plan.For(stage);
        conv_expand = Layers.Conv1x1(innerWidth, outChannels);
        bn_expand = nn.BatchNorm2d(outChannels);
        if (inChannels != outChannels || stride != 1) shortcut = Layers.Projection(inChannels, outChannels, stride);
        relu3 = plan.For(stage);
        RegisterComponents();
    }

    protected override IEnumerable<nn.Module<Tensor, Tensor>> Residual() => [conv_reduce, bn_reduce, relu1, conv_conv, bn, relu2, conv_expand, bn_expand];

    protected override nn.Module<Tensor, Tensor>? Shortcut => shortcut;

    protected override nn.Module<Tensor, Tensor> After => relu3;
}
