using DropActivation.Models.Blocks;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// Xie et al.'s ResNeXt-29 (c×wd) for CIFAR as in bearpaw/pytorch-classification (models/cifar/resnext.py,
/// widen factor 4): conv3×3 (64) → BN → act → three stages of 3 aggregated bottlenecks with outputs
/// 256, 512, 1024 and inner widths c·w, 2c·w, 4c·w (stride 2 at stages 2 and 3) → global average pool → fc.
/// Init: conv kaiming_normal(fan_out), BN weight 1, every bias 0, classifier kaiming_normal (fan_in).
/// </summary>
public sealed class ResNeXt29 : ZooModel
{
    private static readonly string[] Stages = { "stage1", "stage2", "stage3" };

    /// <summary>Registry entry: resnext29-&lt;c&gt;x&lt;w&gt;d (the paper's resnext29-8x64d).</summary>
    public static ModelFamily Family { get; } = new("resnext", "resnext29-<c>x<w>d", "ResNeXt-29, cardinality c, group width w (bearpaw)",
        @"^resnext29-(\d+)x(\d+)d$", Stages, ModelFamily.Bearpaw, m =>
        {
            int card = m.Int(1), width = m.Int(2);
            if (card < 1 || width < 1) throw new ArgumentException($"ResNeXt cardinality and width must be at least 1, got {card}x{width}d.", "name");
            return new($"ResNeXt-29, cardinality {card}, {width} channels per group", c => new ResNeXt29(card, width, c));
        })
    { PaperNames = ["resnext29-8x64d"] };

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Sequential stage1;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear classifier;

    /// <summary>ResNeXt-29 with <paramref name="cardinality"/> groups of <paramref name="groupWidth"/> channels in the first stage.</summary>
    public ResNeXt29(int cardinality, int groupWidth, ModelConfig config) : base(nameof(ResNeXt29), Stages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cardinality, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupWidth, 1);
        const int blocks = 3; // (29 − 2) / 9
        var plan = new ActivationPlan(config, Stages);
        conv1 = nn.Conv2d(config.InChannels, 64, kernel_size: 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = plan.For(ActivationPlan.Stem);
        long inner = (long)cardinality * groupWidth, width = 64;
        stage1 = Stage(ref width, 256, inner, cardinality, blocks, 1, plan, "stage1");
        stage2 = Stage(ref width, 512, 2 * inner, cardinality, blocks, 2, plan, "stage2");
        stage3 = Stage(ref width, 1024, 4 * inner, cardinality, blocks, 2, plan, "stage3");
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Linear(1024, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
        WeightInit.KaimingFanInLinears(this);
    }

    private static Sequential Stage(ref long width, long outChannels, long inner, long cardinality, int blocks, long stride, ActivationPlan plan, string stage) =>
        Layers.Stage(ref width, outChannels, blocks, stride, 1, (i, o, s) => new ResNeXtBottleneck(i, o, inner, cardinality, s, plan, stage));

    public override Linear Head => classifier;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, bn1, relu, stage1, stage2, stage3, avgpool, null, classifier];
}
