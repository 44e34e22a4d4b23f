using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// Zagoruyko &amp; Komodakis' wide pre-activation block, as in xternalz/WideResNet-pytorch (the
/// bearpaw/pytorch-classification wrn.py): BN → act → conv3×3 (stride) → BN → act → dropout → conv3×3.
/// When the shape changes, the shortcut is a bias-free 1×1 conv of the activated input; otherwise the raw input.
/// </summary>
public sealed class WideBasicBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu2;
    private readonly Dropout? dropout;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor>? convShortcut;

    /// <summary>A block from <paramref name="inPlanes"/> to <paramref name="outPlanes"/> channels; dropout 0 adds no dropout layer.</summary>
    public WideBasicBlock(long inPlanes, long outPlanes, long stride, double dropRate, ActivationPlan plan, string stage) : base(nameof(WideBasicBlock))
    {
        bn1 = nn.BatchNorm2d(inPlanes);
        relu1 = plan.For(stage);
        conv1 = Layers.Conv3x3(inPlanes, outPlanes, stride);
        bn2 = nn.BatchNorm2d(outPlanes);
        relu2 = plan.For(stage);
        if (dropRate > 0) dropout = nn.Dropout(dropRate);
        conv2 = Layers.Conv3x3(outPlanes, outPlanes);
        // xternalz: equalInOut = in == out; a stride change with equal widths does not occur in WRN.
        if (inPlanes != outPlanes || stride != 1) convShortcut = Layers.StridedConv1x1(inPlanes, outPlanes, stride);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var activated = relu1.call(bn1.call(x));
        var h = relu2.call(bn2.call(conv1.call(activated)));
        if (dropout is not null) h = dropout.call(h);
        var outp = conv2.call(h);
        var shortcut = convShortcut is null ? x : convShortcut.call(activated);
        return outp.add(shortcut);
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form (dropout is the identity).</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var activated = graph.Apply(relu1, graph.Apply(bn1, input));
        var h = graph.Apply(relu2, graph.Apply(bn2, graph.Apply(conv1, activated)));
        if (dropout is not null) h = graph.Apply(dropout, h);
        var outp = graph.Apply(conv2, h);
        var shortcut = convShortcut is null ? input : graph.Apply(convShortcut, activated);
        return graph.Add(outp, shortcut);
    }
}
