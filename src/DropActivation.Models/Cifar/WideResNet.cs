using DropActivation.Models.Blocks;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// Zagoruyko &amp; Komodakis' Wide ResNet WRN-d-k as in xternalz/WideResNet-pytorch (bearpaw's wrn.py):
/// conv3×3 (16) → three stages of n = (d − 4)/6 wide blocks (16k, 32k, 64k; stride 2 at stages 2 and 3;
/// dropout between the convolutions) → BN → act → global average pool → fc.
/// Init: conv kaiming_normal_(fan_out, relu), BN 1/0, fc bias 0 (weight PyTorch default).
/// </summary>
public sealed class WideResNet : ZooModel
{
    private static readonly string[] Stages = { "block1", "block2", "block3" };

    /// <summary>Registry entry: wrn-&lt;depth&gt;-&lt;k&gt; (the paper's wrn-28-10, wrn-16-8).</summary>
    public static ModelFamily Family { get; } = new("wrn", "wrn-<depth>-<k>", "Wide ResNet, depth 6n+4, widen factor k (xternalz); dropout from the config",
        @"^wrn-(\d+)-(\d+)$", Stages, "xternalz/WideResNet-pytorch (bearpaw's wrn.py)", m =>
        {
            int depth = m.Int(1), k = m.Int(2);
            ModelFamily.CheckDepth(depth, 6, 4, "Wide ResNet", "16, 28, 40");
            if (k < 1) throw new ArgumentException($"Widen factor must be at least 1, got {k}.", "name");
            // Table 6 (CIFAR, EMNIST): WRN-28-10 with dropout 0.3; Table 8 (SVHN): WRN-16-8 with dropout 0.4.
            double dropout = (depth, k) switch { (28, 10) => 0.3, (16, 8) => 0.4, _ => 0.0 };
            return new(FormattableString.Invariant($"Wide ResNet {depth}-{k}, dropout {dropout} by default"),
                c => new WideResNet(depth, k, c.Dropout ?? dropout, c), dropout);
        })
    { PaperNames = ["wrn-28-10", "wrn-16-8"] };

    private readonly Conv2d conv1;
    private readonly Sequential block1;
    private readonly Sequential block2;
    private readonly Sequential block3;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>WRN-<paramref name="depth"/>-<paramref name="widenFactor"/> with dropout <paramref name="dropRate"/> (0: none).</summary>
    public WideResNet(int depth, int widenFactor, double dropRate, ModelConfig config) : base(nameof(WideResNet), Stages)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentException($"A Wide ResNet needs depth = 6n + 4 (e.g. 16, 28, 40), got {depth}.", nameof(depth));
        ArgumentOutOfRangeException.ThrowIfLessThan(widenFactor, 1);
        if (double.IsNaN(dropRate) || dropRate < 0 || dropRate >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropRate), dropRate, "Dropout must lie in [0, 1).");
        int n = (depth - 4) / 6;
        var plan = new ActivationPlan(config, Stages);
        long[] widths = { 16, 16 * widenFactor, 32 * widenFactor, 64 * widenFactor };
        conv1 = nn.Conv2d(config.InChannels, widths[0], kernel_size: 3, padding: 1, bias: false);
        long width = widths[0];
        block1 = Stage(ref width, widths[1], n, 1, dropRate, plan, "block1");
        block2 = Stage(ref width, widths[2], n, 2, dropRate, plan, "block2");
        block3 = Stage(ref width, widths[3], n, 2, dropRate, plan, "block3");
        bn1 = nn.BatchNorm2d(widths[3]);
        relu = plan.For(ActivationPlan.Head);
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(widths[3], config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
        WeightInit.ZeroLinearBiases(this);
    }

    private static Sequential Stage(ref long width, long outPlanes, int blocks, long stride, double dropRate, ActivationPlan plan, string stage) =>
        Layers.Stage(ref width, outPlanes, blocks, stride, 1, (i, o, s) => new WideBasicBlock(i, o, s, dropRate, plan, stage));

    public override Linear Head => fc;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, block1, block2, block3, bn1, relu, avgpool, null, fc];
}
