using DropActivation.Models.Blocks;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.ImageNet;

/// <summary>
/// Hu et al.'s SE-ResNet (the paper's SENet50) as in Cadene/pretrained-models.pytorch (se_resnet50):
/// conv7×7/2 (64) → BN → act → max pool 3×3/2 (ceil mode) → four stages of SE bottlenecks (64, 128, 256,
/// 512 planes ×4; stride on the first 1×1 conv; SE reduction 16, with biases) → global average pool → fc.
/// Init (Cadene ships no init of its own; moskomule/senet.pytorch uses torchvision's): conv
/// kaiming_normal_(fan_out, relu) with bias 0, BN 1/0, fc PyTorch default.
/// </summary>
public sealed class SeResNet : ZooModel
{
    private static readonly string[] Stages = { "layer1", "layer2", "layer3", "layer4" };

    /// <summary>Registry entry: se-resnet50, -101, -152 (the paper's se-resnet50).</summary>
    public static ModelFamily Family { get; } = new("se-resnet", "se-resnet<50|101|152>", "SE-ResNet (Cadene)", "^se-resnet(50|101|152)$", Stages,
        "Cadene/pretrained-models.pytorch (se_resnet)",
        m => new($"SE-ResNet-{m.Int(1)} (the paper's SENet{m.Int(1)}), ImageNet (224×224)", c => new SeResNet(m.Int(1), c)))
    { PaperNames = ["se-resnet50"], ImageSize = 224, ClassCounts = [1000], MinImageSize = 32 };

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>Blocks per stage of SE-ResNet-50, -101 and -152.</summary>
    public static IReadOnlyDictionary<int, int[]> Configurations { get; } = new Dictionary<int, int[]>
    {
        [50] = new[] { 3, 4, 6, 3 },
        [101] = new[] { 3, 4, 23, 3 },
        [152] = new[] { 3, 8, 36, 3 },
    };

    /// <summary>SE-ResNet-<paramref name="depth"/> (50, 101 or 152), SE reduction 16.</summary>
    public SeResNet(int depth, ModelConfig config) : base(nameof(SeResNet), Stages)
    {
        if (!Configurations.TryGetValue(depth, out var blocks))
            throw new ArgumentException($"An SE-ResNet has depth 50, 101 or 152, got {depth}.", nameof(depth));
        const long reduction = 16;
        var plan = new ActivationPlan(config, Stages);
        conv1 = nn.Conv2d(config.InChannels, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = plan.For(ActivationPlan.Stem);
        maxpool = nn.MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true);
        long inPlanes = 64;
        layer1 = Stage(ref inPlanes, 64, blocks[0], 1, reduction, plan, "layer1");
        layer2 = Stage(ref inPlanes, 128, blocks[1], 2, reduction, plan, "layer2");
        layer3 = Stage(ref inPlanes, 256, blocks[2], 2, reduction, plan, "layer3");
        layer4 = Stage(ref inPlanes, 512, blocks[3], 2, reduction, plan, "layer4");
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(512 * SeBottleneck.Expansion, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
    }

    private static Sequential Stage(ref long inPlanes, long planes, int blocks, long stride, long reduction, ActivationPlan plan, string stage) =>
        Layers.Stage(ref inPlanes, planes, blocks, stride, SeBottleneck.Expansion, (i, p, s) => new SeBottleneck(i, p, s, reduction, plan, stage));

    public override Linear Head => fc;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, avgpool, null, fc];
}
