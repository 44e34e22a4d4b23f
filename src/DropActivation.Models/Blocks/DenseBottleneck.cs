using DropActivation.Models.Registry;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// DenseNet-BC's bottleneck layer, as in bearpaw/pytorch-classification's densenet.py:
/// BN → act → 1×1 conv (4k) → BN → act → 3×3 conv (k), concatenated to its input.
/// </summary>
public sealed class DenseBottleneck : nn.Module<Tensor, Tensor>
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
}
