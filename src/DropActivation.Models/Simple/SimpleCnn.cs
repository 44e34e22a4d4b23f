using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Simple;

/// <summary>
/// The simple network of the paper's Appendix 8.1 (the p grid search of Figure 5): three blocks of
/// conv3×3 (padding 1) → BN → act → 2×2 average pooling with 32, 64 and 128 filters, then fully
/// connected 1000 → act → classes. The flattened width follows the input size (4×4×128 at 32×32,
/// 3×3×128 at 28×28, 1×1×128 at 8×8). Init: PyTorch defaults.
/// </summary>
public sealed class SimpleCnn : ZooModel
{
    private static readonly string[] Stages = { "block1", "block2", "block3" };
    private static readonly long[] Filters = { 32, 64, 128 };

    private readonly Sequential block1;
    private readonly Sequential block2;
    private readonly Sequential block3;
    private readonly Linear fc1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Linear fc2;

    /// <summary>The smallest input that survives three 2×2 poolings.</summary>
    public const int MinImageSize = 8;

    private const string Title = "Appendix 8.1: 3 × (conv3×3, BN, act, avg-pool) with 32/64/128 filters, fc 1000, fc classes";

    /// <summary>Registry entry: simple-cnn.</summary>
    public static ModelFamily Family { get; } = new("simple-cnn", "simple-cnn", Title, "^simple-cnn$", Stages, "the paper, Appendix 8.1",
        _ => new(Title, c => new SimpleCnn(c))) { PaperNames = ["simple-cnn"], MinImageSize = MinImageSize };

    /// <summary>The simple CNN for inputs of <see cref="ModelConfig.ImageSize"/>.</summary>
    public SimpleCnn(ModelConfig config) : base(nameof(SimpleCnn), Stages)
    {
        if (config.ImageSize < MinImageSize)
            throw new ArgumentException($"The simple CNN needs inputs of at least {MinImageSize}×{MinImageSize}, got {config.ImageSize}.", nameof(config));
        var plan = new ActivationPlan(config, Stages);
        long inChannels = config.InChannels;
        var blocks = new Sequential[3];
        for (int b = 0; b < 3; b++)
        {
            blocks[b] = nn.Sequential(
                ("conv", nn.Conv2d(inChannels, Filters[b], kernel_size: 3, padding: 1)),
                ("bn", nn.BatchNorm2d(Filters[b])),
                ("relu", plan.For(Stages[b])),
                ("pool", nn.AvgPool2d(2)));
            inChannels = Filters[b];
        }
        (block1, block2, block3) = (blocks[0], blocks[1], blocks[2]);
        long side = config.ImageSize / 2 / 2 / 2;
        fc1 = nn.Linear(128 * side * side, 1000);
        relu = plan.For(ActivationPlan.Head);
        fc2 = nn.Linear(1000, config.NumClasses);
        RegisterComponents();
    }

    public override Linear Head => fc2;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [block1, block2, block3, null, fc1, relu, fc2];
}
