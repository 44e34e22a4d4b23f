using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// Simonyan &amp; Zisserman's VGG with BatchNorm for CIFAR as in bearpaw/pytorch-classification
/// (models/cifar/vgg.py): five stages of [conv3×3 (bias) → BN → act] × m followed by 2×2 max pooling
/// (64, 128, 256, 512, 512 channels), then one linear layer 512 → classes. Pooling rounds up
/// (ceil mode), which changes nothing at 32×32 and lets 28×28 inputs through all five poolings.
/// Init: conv N(0, 2/(k²·out)) with bias 0, BN 1/0, linear N(0, 0.01²) with bias 0.
/// </summary>
public sealed class VggBN : ZooModel
{
    private static readonly string[] Stages = { "stage1", "stage2", "stage3", "stage4", "stage5" };

    /// <summary>Registry entry: vgg11-bn … vgg19-bn (the paper's vgg19-bn).</summary>
    public static ModelFamily Family { get; } = new("vgg", "vgg<11|13|16|19>-bn", "VGG with BatchNorm, CIFAR (bearpaw)", @"^vgg(11|13|16|19)-bn$",
        Stages, ModelFamily.Bearpaw, m => new($"VGG-{m.Int(1)} with BatchNorm, CIFAR", c => new VggBN(m.Int(1), c))) { PaperNames = ["vgg19-bn"] };
    private static readonly long[] Widths = { 64, 128, 256, 512, 512 };

    private readonly Sequential stage1;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly Sequential stage4;
    private readonly Sequential stage5;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear classifier;

    /// <summary>Convolutions per stage of VGG-11, -13, -16 and -19 (configurations A, B, D, E).</summary>
    public static IReadOnlyDictionary<int, int[]> Configurations { get; } = new Dictionary<int, int[]>
    {
        [11] = new[] { 1, 1, 2, 2, 2 },
        [13] = new[] { 2, 2, 2, 2, 2 },
        [16] = new[] { 2, 2, 3, 3, 3 },
        [19] = new[] { 2, 2, 4, 4, 4 },
    };

    /// <summary>VGG-<paramref name="depth"/> with BatchNorm (depth 11, 13, 16 or 19).</summary>
    public VggBN(int depth, ModelConfig config) : base(nameof(VggBN), Stages)
    {
        if (!Configurations.TryGetValue(depth, out var convs))
            throw new ArgumentException($"VGG depth must be 11, 13, 16 or 19, got {depth}.", nameof(depth));
        var plan = new ActivationPlan(config, Stages);
        long inChannels = config.InChannels;
        var stages = new Sequential[5];
        for (int s = 0; s < 5; s++)
        {
            var list = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int c = 0; c < convs[s]; c++)
            {
                list.Add(($"conv{c + 1}", nn.Conv2d(inChannels, Widths[s], kernel_size: 3, padding: 1)));
                list.Add(($"bn{c + 1}", nn.BatchNorm2d(Widths[s])));
                list.Add(($"relu{c + 1}", plan.For(Stages[s])));
                inChannels = Widths[s];
            }
            list.Add(("pool", nn.MaxPool2d(kernel_size: 2, stride: 2, ceil_mode: true)));
            stages[s] = nn.Sequential(list);
        }
        (stage1, stage2, stage3, stage4, stage5) = (stages[0], stages[1], stages[2], stages[3], stages[4]);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Linear(512, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
        WeightInit.NormalLinears(this, 0.01);
    }

    public override Linear Head => classifier;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [stage1, stage2, stage3, stage4, stage5, avgpool, null, classifier];
}
