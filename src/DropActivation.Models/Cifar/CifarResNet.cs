using System.Text.RegularExpressions;
using DropActivation.Models.Blocks;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// He et al.'s CIFAR ResNet as in bearpaw/pytorch-classification (models/cifar/resnet.py), which the
/// paper's hyper-parameters follow: conv3×3 (16) → BN → act → three stages of n blocks (16, 32, 64
/// planes; stride 2 at stages 2 and 3; projection shortcuts 1×1 conv + BN) → global average pool → fc.
/// Basic blocks: depth = 6n + 2 (ResNet-110); bottlenecks: depth = 9n + 2 (ResNet-164).
/// Init: conv N(0, 2/(k²·out)), BN 1/0, fc PyTorch default.
/// </summary>
public sealed class CifarResNet : ZooModel
{
    private static readonly string[] Stages = { "layer1", "layer2", "layer3" };

    /// <summary>Registry entry: resnet-&lt;depth&gt;[-basic|-bottleneck] (the paper's resnet110, resnet164).</summary>
    public static ModelFamily Family { get; } = new("resnet", "resnet-<depth>[-basic|-bottleneck]",
        "CIFAR ResNet (bearpaw); basic blocks depth 6n+2, bottlenecks depth 9n+2; default bottleneck from depth 164",
        @"^resnet-(\d+)(?:-(basic|bottleneck))?$", Stages, ModelFamily.Bearpaw, m =>
        {
            var (depth, bottleneck) = DepthAndBlock(m);
            return new($"ResNet-{depth} ({(bottleneck ? "bottleneck" : "basic")} blocks), CIFAR", c => new CifarResNet(depth, bottleneck, c));
        })
    { PaperNames = ["resnet110", "resnet164"], Aliases = new Dictionary<string, string> { ["resnet110"] = "resnet-110", ["resnet164"] = "resnet-164" } };

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>A CIFAR ResNet of the given depth with basic blocks or bottlenecks.</summary>
    public CifarResNet(int depth, bool bottleneck, ModelConfig config) : base(nameof(CifarResNet), Stages)
    {
        int n = BlocksPerStage(depth, bottleneck);
        var plan = new ActivationPlan(config, Stages);
        int expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        conv1 = nn.Conv2d(config.InChannels, 16, kernel_size: 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(16);
        relu = plan.For(ActivationPlan.Stem);
        long inPlanes = 16;
        layer1 = Stage(ref inPlanes, 16, n, 1, bottleneck, plan, "layer1");
        layer2 = Stage(ref inPlanes, 32, n, 2, bottleneck, plan, "layer2");
        layer3 = Stage(ref inPlanes, 64, n, 2, bottleneck, plan, "layer3");
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(64 * expansion, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
    }

    /// <summary>Blocks per stage for a depth, or an ArgumentException when the depth does not fit the block type.</summary>
    public static int BlocksPerStage(int depth, bool bottleneck)
    {
        int perBlock = bottleneck ? 9 : 6;
        if (depth < perBlock + 2 || (depth - 2) % perBlock != 0)
            throw new ArgumentException(
                $"A CIFAR ResNet with {(bottleneck ? "bottleneck" : "basic")} blocks needs depth = {perBlock}n + 2 (e.g. {(bottleneck ? "164" : "110")}), got {depth}.",
                nameof(depth));
        return (depth - 2) / perBlock;
    }

    /// <summary>A resnet-/preresnet- name's checked depth and blocks; unsaid: bottlenecks for 9n+2 from 164 on (He et al.'s -164, -1001).</summary>
    internal static (int Depth, bool Bottleneck) DepthAndBlock(Match m)
    {
        int depth = m.Int(1);
        bool bottleneck = m.Groups[2].Success ? m.Groups[2].Value == "bottleneck" : depth >= 164 && (depth - 2) % 9 == 0;
        BlocksPerStage(depth, bottleneck);
        return (depth, bottleneck);
    }

    internal static Sequential Stage(ref long inPlanes, long planes, int blocks, long stride, bool bottleneck, ActivationPlan plan, string stage) =>
        bottleneck
            ? Layers.Stage(ref inPlanes, planes, blocks, stride, Bottleneck.Expansion, (i, p, s) => new Bottleneck(i, p, s, plan, stage))
            : Layers.Stage(ref inPlanes, planes, blocks, stride, BasicBlock.Expansion, (i, p, s) => new BasicBlock(i, p, s, plan, stage));

    public override Linear Head => fc;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, bn1, relu, layer1, layer2, layer3, avgpool, null, fc];
}
