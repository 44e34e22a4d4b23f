using DropActivation.Models.Blocks;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// He et al.'s pre-activation ResNet for CIFAR as in bearpaw/pytorch-classification
/// (models/cifar/preresnet.py): conv3×3 (16) → three stages of pre-activation blocks (16, 32, 64 planes;
/// shortcuts 1×1 conv without BN) → BN → act → global average pool → fc.
/// Basic blocks: depth = 6n + 2; bottlenecks: depth = 9n + 2 (PreResNet-164).
/// Init: conv N(0, 2/(k²·out)), BN 1/0, fc PyTorch default.
/// </summary>
public sealed class CifarPreResNet : ZooModel
{
    private static readonly string[] Stages = { "layer1", "layer2", "layer3" };

    /// <summary>Registry entry: preresnet-&lt;depth&gt;[-basic|-bottleneck] (the paper's preresnet164).</summary>
    public static ModelFamily Family { get; } = new("preresnet", "preresnet-<depth>[-basic|-bottleneck]",
        "pre-activation CIFAR ResNet (bearpaw), same depth rule", @"^preresnet-(\d+)(?:-(basic|bottleneck))?$", Stages, ModelFamily.Bearpaw, m =>
        {
            var (depth, bottleneck) = CifarResNet.DepthAndBlock(m);
            return new($"Pre-activation ResNet-{depth} ({(bottleneck ? "bottleneck" : "basic")} blocks), CIFAR", c => new CifarPreResNet(depth, bottleneck, c));
        })
    { PaperNames = ["preresnet164"], Aliases = new Dictionary<string, string> { ["preresnet164"] = "preresnet-164" } };

    private readonly Conv2d conv1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly BatchNorm2d bn;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>A pre-activation CIFAR ResNet of the given depth with basic blocks or bottlenecks.</summary>
    public CifarPreResNet(int depth, bool bottleneck, ModelConfig config) : base(nameof(CifarPreResNet), Stages)
    {
        int n = CifarResNet.BlocksPerStage(depth, bottleneck);
        var plan = new ActivationPlan(config, Stages);
        int expansion = bottleneck ? PreActBottleneck.Expansion : PreActBasicBlock.Expansion;
        conv1 = nn.Conv2d(config.InChannels, 16, kernel_size: 3, padding: 1, bias: false);
        long inPlanes = 16;
        layer1 = Stage(ref inPlanes, 16, n, 1, bottleneck, plan, "layer1");
        layer2 = Stage(ref inPlanes, 32, n, 2, bottleneck, plan, "layer2");
        layer3 = Stage(ref inPlanes, 64, n, 2, bottleneck, plan, "layer3");
        bn = nn.BatchNorm2d(64 * expansion);
        relu = plan.For(ActivationPlan.Head);
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(64 * expansion, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
    }

    private static Sequential Stage(ref long inPlanes, long planes, int blocks, long stride, bool bottleneck, ActivationPlan plan, string stage) =>
        bottleneck
            ? Layers.Stage(ref inPlanes, planes, blocks, stride, PreActBottleneck.Expansion, (i, p, s) => new PreActBottleneck(i, p, s, plan, stage))
            : Layers.Stage(ref inPlanes, planes, blocks, stride, PreActBasicBlock.Expansion, (i, p, s) => new PreActBasicBlock(i, p, s, plan, stage));

    public override Linear Head => fc;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, layer1, layer2, layer3, bn, relu, avgpool, null, fc];
}
