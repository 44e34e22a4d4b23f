using DropActivation.Models.Blocks;
using DropActivation.Models.Init;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Cifar;

/// <summary>
/// Huang et al.'s DenseNet-BC for CIFAR as in bearpaw/pytorch-classification (models/cifar/densenet.py):
/// conv3×3 (2k channels) → three dense blocks of n = (depth − 4)/6 bottleneck layers (growth k), the first
/// two followed by a transition with compression 0.5 → BN → act → global average pool → fc.
/// Stage i is dense block i with its transition. Init: conv N(0, 2/(k²·out)), BN 1/0, fc PyTorch default.
/// </summary>
public sealed class DenseNetBC : ZooModel
{
    private static readonly string[] Stages = { "stage1", "stage2", "stage3" };

    /// <summary>Registry entry: densenet-bc-&lt;depth&gt;-&lt;k&gt; (the paper's densenet-bc-100-12, densenet-bc-190-40).</summary>
    public static ModelFamily Family { get; } = new("densenet-bc", "densenet-bc-<depth>-<k>", "DenseNet-BC, depth 6n+4, growth rate k (bearpaw)",
        @"^densenet-bc-(\d+)-(\d+)$", Stages, ModelFamily.Bearpaw, m =>
        {
            int depth = m.Int(1), k = m.Int(2);
            ModelFamily.CheckDepth(depth, 6, 4, "DenseNet-BC", "100, 190");
            if (k < 1) throw new ArgumentException($"Growth rate must be at least 1, got {k}.", "name");
            return new($"DenseNet-BC, depth {depth}, growth rate {k}", c => new DenseNetBC(depth, k, c));
        })
    { PaperNames = ["densenet-bc-100-12", "densenet-bc-190-40"] };

    private readonly Conv2d conv1;
    private readonly Sequential stage1;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly BatchNorm2d bn;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    /// <summary>DenseNet-BC-<paramref name="depth"/>-<paramref name="growthRate"/>.</summary>
    public DenseNetBC(int depth, int growthRate, ModelConfig config) : base(nameof(DenseNetBC), Stages)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentException($"A DenseNet-BC needs depth = 6n + 4 (e.g. 100, 190), got {depth}.", nameof(depth));
        ArgumentOutOfRangeException.ThrowIfLessThan(growthRate, 1);
        int n = (depth - 4) / 6;
        var plan = new ActivationPlan(config, Stages);
        long planes = 2L * growthRate;
        conv1 = nn.Conv2d(config.InChannels, planes, kernel_size: 3, padding: 1, bias: false);
        stage1 = Stage(ref planes, n, growthRate, transition: true, plan, "stage1");
        stage2 = Stage(ref planes, n, growthRate, transition: true, plan, "stage2");
        stage3 = Stage(ref planes, n, growthRate, transition: false, plan, "stage3");
        bn = nn.BatchNorm2d(planes);
        relu = plan.For(ActivationPlan.Head);
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(planes, config.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvsUnitBatchNorm(this);
    }

    private static Sequential Stage(ref long planes, int layers, long growthRate, bool transition, ActivationPlan plan, string stage)
    {
        var list = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < layers; i++)
        {
            list.Add((i.ToString(), new DenseBottleneck(planes, growthRate, plan, stage)));
            planes += growthRate;
        }
        if (transition)
        {
            long outPlanes = planes / 2; // bearpaw: floor(inplanes // compressionRate), compressionRate = 2
            list.Add(("transition", new DenseTransition(planes, outPlanes, plan, stage)));
            planes = outPlanes;
        }
        return nn.Sequential(list);
    }

    public override Linear Head => fc;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [conv1, stage1, stage2, stage3, bn, relu, avgpool, null, fc];
}
