using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// ResNet-18 for CIFAR as in kuangliu/pytorch-cifar (the network DeVries &amp; Taylor's Cutout code uses):
/// conv3×3 (64, stride 1) → BN → act → four stages of two basic blocks (64, 128, 256, 512; stride 2 from
/// stage 2; projection shortcuts 1×1 conv + BN) → global average pool → linear. Init: PyTorch defaults.
/// </summary>
public sealed class ResNet18Cifar : ZooModel
{
    private static readonly string[] Stages = { "layer1", "layer2", "layer3", "layer4" };

    private const string Title = "ResNet-18, CIFAR variant (3×3 stem), as used with Cutout";

    /// <summary>Registry entry: resnet18-cifar.</summary>
    public static ModelFamily Family { get; } = new("resnet-cifar", "resnet18-cifar", Title, "^resnet18-cifar$", Stages,
        "kuangliu/pytorch-cifar (DeVries & Taylor's Cutout code)", _ => new(Title, c => new ResNet18Cifar(c))) { PaperNames = ["resnet18-cifar"] };

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear linear;

    /// <summary>ResNet-18 (CIFAR variant).</summary>
    public ResNet18Cifar(ModelConfig config) : base(nameof(ResNet18Cifar), Stages)
    {
        var plan = new ActivationPlan(config, Stages);
        conv1 = nn.Conv2d(config.InChannels, 64, kernel_size: 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = plan.For(ActivationPlan.Stem);
        long inPlanes = 64;
        layer1 = CifarResNet.Stage(ref inPlanes, 64, 2, 1, bottleneck: false, plan, "layer1");
        layer2 = CifarResNet.Stage(ref inPlanes, 128, 2, 2, bottleneck: false, plan, "layer2");
        layer3 = CifarResNet.Stage(ref inPlanes, 256, 2, 2, bottleneck: false, plan, "layer3");
        layer4 = CifarResNet.Stage(ref inPlanes, 512, 2, 2, bottleneck: false, plan, "layer4");
        avgpool = nn.AdaptiveAvgPool2d(1);
        linear = nn.Linear(512, config.NumClasses);
        RegisterComponents();
    }

    public override Linear Head => linear;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, bn1, relu, layer1, layer2, layer3, layer4, avgpool, null, linear];
}
