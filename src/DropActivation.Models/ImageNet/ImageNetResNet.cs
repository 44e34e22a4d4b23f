using DropActivation.Models.Cifar;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.ImageNet;

/// <summary>
/// He et al.'s ImageNet ResNet with basic blocks as in torchvision (resnet18/resnet34): conv7×7/2 (64) → BN →
/// act → max pool 3×3/2 → four stages (64, 128, 256, 512; stride 2 from stage 2; projection shortcuts
/// 1×1 conv + BN) → global average pool → fc. Parameter names match torchvision's.
/// Init: conv kaiming_normal_(fan_out, relu), BN 1/0, fc PyTorch default.
/// </summary>
public sealed class ImageNetResNet : ZooModel
{
    private static readonly string[] Stages = { "layer1", "layer2", "layer3", "layer4" };

    /// <summary>Registry entry: resnet18, resnet34 (the paper's resnet34).</summary>
    public static ModelFamily Family { get; } = new("resnet-imagenet", "resnet<18|34>", "ImageNet ResNet with basic blocks (torchvision)", "^resnet(18|34)$",
        Stages, "torchvision", m => new($"ResNet-{m.Int(1)}, ImageNet (224×224)", c => new ImageNetResNet(m.Int(1), c)))
    { PaperNames = ["resnet34"], ImageSize = 224, ClassCounts = [1000], MinImageSize = 32 };

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

    /// <summary>Blocks per stage of ResNet-18 and ResNet-34.</summary>
    public static IReadOnlyDictionary<int, int[]> Configurations { get; } = new Dictionary<int, int[]>
    {
        [18] = new[] { 2, 2, 2, 2 },
        [34] = new[] { 3, 4, 6, 3 },
    };

    /// <summary>ResNet-<paramref name="depth"/> (18 or 34) for ImageNet-style inputs.</summary>
    public ImageNetResNet(int depth, ModelConfig config) : base(nameof(ImageNetResNet), Stages)
    {
        if (!Configurations.TryGetValue(depth, out var blocks))
            throw new ArgumentException($"An ImageNet ResNet with basic blocks has depth 18 or 34, got {depth}.", nameof(depth));
        var plan = new ActivationPlan(config, Stages);
        conv1 = nn.Conv2d(config.InChannels, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = plan.For(ActivationPlan.Stem);
        maxpool = nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        long inPlanes = 64;
        layer1 = CifarResNet.Stage(ref inPlanes, 64, blocks[0], 1, bottleneck: false, plan, "layer1");
        layer2 = CifarResNet.Stage(ref inPlanes, 128, blocks[1], 2, bottleneck: false, plan, "layer2");
        layer3 = CifarResNet.Stage(ref inPlanes, 256, blocks[2], 2, bottleneck: false, plan, "layer3");
        layer4 = CifarResNet.Stage(ref inPlanes, 512, blocks[3], 2, bottleneck: false, plan, "layer4");
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(512, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
    }

    public override Linear Head => fc;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, avgpool, null, fc];
}
