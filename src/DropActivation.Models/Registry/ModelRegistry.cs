using System.Globalization;
using System.Text.RegularExpressions;
using DropActivation.Models.Cifar;
using DropActivation.Models.ImageNet;
using DropActivation.Models.Simple;
using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>
/// Every network of the paper by name: <c>ModelRegistry.Create("wrn-28-10", new ModelConfig(100) { Activation =
/// ActivationFactory.FromName("dropact", 0.95) })</c>. <see cref="Names"/> lists the paper's models;
/// <see cref="Patterns"/> the parametric forms (depth, width, growth rate, cardinality) parsed from the name.
/// </summary>
public static partial class ModelRegistry
{
    private const string Bearpaw = "bearpaw/pytorch-classification";
    private static readonly int[] Cifar = { 10, 100 };
    private static readonly int[] ImageNetClasses = { 1000 };

    /// <summary>The paper's models, in the order of its tables.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "vgg19-bn", "resnet110", "resnet164", "preresnet164", "wrn-28-10", "wrn-16-8",
        "densenet-bc-100-12", "densenet-bc-190-40", "resnext29-8x64d", "resnet18-cifar",
        "resnet34", "se-resnet50", "simple-cnn", "mlp-regression",
    };

    /// <summary>The parametric names the registry parses, with what they mean.</summary>
    public static IReadOnlyList<(string Pattern, string Meaning)> Patterns { get; } = new[]
    {
        ("vgg<11|13|16|19>-bn", "VGG with BatchNorm, CIFAR (bearpaw)"),
        ("resnet-<depth>[-basic|-bottleneck]", "CIFAR ResNet (bearpaw); basic blocks depth 6n+2, bottlenecks depth 9n+2; default bottleneck from depth 164"),
        ("preresnet-<depth>[-basic|-bottleneck]", "pre-activation CIFAR ResNet (bearpaw), same depth rule"),
        ("wrn-<depth>-<k>", "Wide ResNet, depth 6n+4, widen factor k (xternalz); dropout from the config"),
        ("densenet-bc-<depth>-<k>", "DenseNet-BC, depth 6n+4, growth rate k (bearpaw)"),
        ("resnext29-<c>x<w>d", "ResNeXt-29, cardinality c, group width w (bearpaw)"),
        ("resnet<18|34>", "ImageNet ResNet with basic blocks (torchvision)"),
        ("se-resnet<50|101|152>", "SE-ResNet (Cadene)"),
    };

    /// <summary>What a name builds: description, defaults, stages, reference.</summary>
    /// <exception cref="ArgumentException">Unknown or malformed name (the message lists the valid ones).</exception>
    public static ModelInfo Describe(string name) => Resolve(name).Info;

    /// <summary>Builds the model a name stands for; a null config is the original's (<see cref="ModelInfo.DefaultConfig"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name, impossible depth/width, bad config (classes, channels, size, stages, dropout).</exception>
    public static ZooModel Create(string name, ModelConfig? config = null)
    {
        var entry = Resolve(name);
        var info = entry.Info;
        config ??= info.DefaultConfig();
        if (config.NumClasses < 1) throw new ArgumentException($"NumClasses must be at least 1, got {config.NumClasses}.", nameof(config));
        if (config.InChannels < 1) throw new ArgumentException($"InChannels must be at least 1, got {config.InChannels}.", nameof(config));
        if (config.ImageSize < info.MinImageSize)
            throw new ArgumentException($"{info.Name} needs inputs of at least {info.MinImageSize}×{info.MinImageSize}, got {config.ImageSize}.", nameof(config));
        if (config.Dropout is { } d)
        {
            if (double.IsNaN(d) || d < 0 || d >= 1) throw new ArgumentException($"Dropout must lie in [0, 1), got {d}.", nameof(config));
            if (info.DefaultDropout is null && d > 0)
                throw new ArgumentException($"{info.Name} has no dropout layer (only the Wide ResNets do); got Dropout = {d}.", nameof(config));
        }
        return entry.Build(config);
    }

    /// <summary>The last <paramref name="count"/> stage names of a named model ("last two stages only": count 2).</summary>
    public static IReadOnlyList<string> LastStages(string name, int count) => TakeLast(Describe(name).Stages, count);

    /// <summary>The last <paramref name="count"/> stage names of a built model, e.g. for <c>ModelSurgery.UseDropActivation(model, p, under: ...)</c>.</summary>
    public static IReadOnlyList<string> LastStages(ZooModel model, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TakeLast(model.StageNames, count);
    }

    /// <summary>Every activation layer of a model (see <see cref="ActivationFactory.IsActivation"/>) with its path.</summary>
    public static IReadOnlyList<(string Path, nn.Module Module)> ActivationLayers(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_modules().Where(m => m.name.Length > 0 && ActivationFactory.IsActivation(m.module)).ToList();
    }

    private static IReadOnlyList<string> TakeLast(IReadOnlyList<string> stages, int count)
    {
        if (count < 1 || count > stages.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The model has {stages.Count} stages ({string.Join(", ", stages)}).");
        return stages.Skip(stages.Count - count).ToList();
    }

    private sealed record Entry(ModelInfo Info, Func<ModelConfig, ZooModel> Build);

    private static Entry Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        switch (key)
        {
            case "resnet110": return CifarResNetEntry(key, 110, false);
            case "resnet164": return CifarResNetEntry(key, 164, true);
            case "preresnet164": return PreResNetEntry(key, 164, true);
            case "resnet18-cifar":
                return new Entry(Info(key, "resnet-cifar", "ResNet-18, CIFAR variant (3×3 stem), as used with Cutout", Cifar, new[] { "layer1", "layer2", "layer3", "layer4" },
                    "kuangliu/pytorch-cifar (DeVries & Taylor's Cutout code)"), c => new ResNet18Cifar(c));
            case "simple-cnn":
                return new Entry(Info(key, "simple-cnn", "Appendix 8.1: 3 × (conv3×3, BN, act, avg-pool) with 32/64/128 filters, fc 1000, fc classes", Cifar,
                    new[] { "block1", "block2", "block3" }, "the paper, Appendix 8.1", minSize: SimpleCnn.MinImageSize), c => new SimpleCnn(c));
            case "mlp-regression":
                return new Entry(new ModelInfo(key, "mlp", "Figure 2's regression network: scalar → 1000 → 800 → 200 → scalar", 1, 1, new[] { 1 },
                    new[] { "hidden1", "hidden2", "hidden3" }, 0, null, "the paper, Section 3.2 (Figure 2)"), c => new RegressionMlp(c));
        }

        Match m;
        if ((m = VggRegex().Match(key)).Success)
        {
            int depth = Int(m, 1);
            return new Entry(Info(key, "vgg", $"VGG-{depth} with BatchNorm, CIFAR", Cifar, new[] { "stage1", "stage2", "stage3", "stage4", "stage5" }, Bearpaw),
                c => new VggBN(depth, c));
        }
        if ((m = ResNetRegex().Match(key)).Success) return CifarResNetEntry(key, Int(m, 1), Bottleneck(m, Int(m, 1)));
        if ((m = PreResNetRegex().Match(key)).Success) return PreResNetEntry(key, Int(m, 1), Bottleneck(m, Int(m, 1)));
        if ((m = WrnRegex().Match(key)).Success)
        {
            int depth = Int(m, 1), k = Int(m, 2);
            CheckDepth(depth, 6, 4, "Wide ResNet", "16, 28, 40");
            if (k < 1) throw new ArgumentException($"Widen factor must be at least 1, got {k}.", nameof(name));
            // Table 6 (CIFAR, EMNIST): WRN-28-10 with dropout 0.3; Table 8 (SVHN): WRN-16-8 with dropout 0.4.
            double dropout = (depth, k) switch { (28, 10) => 0.3, (16, 8) => 0.4, _ => 0.0 };
            return new Entry(Info(key, "wrn", $"Wide ResNet {depth}-{k}, dropout {dropout.ToString(CultureInfo.InvariantCulture)} by default", Cifar,
                new[] { "block1", "block2", "block3" }, "xternalz/WideResNet-pytorch (bearpaw's wrn.py)", dropout: dropout),
                c => new WideResNet(depth, k, c.Dropout ?? dropout, c));
        }
        if ((m = DenseNetRegex().Match(key)).Success)
        {
            int depth = Int(m, 1), k = Int(m, 2);
            CheckDepth(depth, 6, 4, "DenseNet-BC", "100, 190");
            if (k < 1) throw new ArgumentException($"Growth rate must be at least 1, got {k}.", nameof(name));
            return new Entry(Info(key, "densenet-bc", $"DenseNet-BC, depth {depth}, growth rate {k}", Cifar, new[] { "stage1", "stage2", "stage3" }, Bearpaw),
                c => new DenseNetBC(depth, k, c));
        }
        if ((m = ResNeXtRegex().Match(key)).Success)
        {
            int card = Int(m, 1), width = Int(m, 2);
            if (card < 1 || width < 1) throw new ArgumentException($"ResNeXt cardinality and width must be at least 1, got {card}x{width}d.", nameof(name));
            return new Entry(Info(key, "resnext", $"ResNeXt-29, cardinality {card}, {width} channels per group", Cifar, new[] { "stage1", "stage2", "stage3" }, Bearpaw),
                c => new ResNeXt29(card, width, c));
        }
        if ((m = ImageNetResNetRegex().Match(key)).Success)
        {
            int depth = Int(m, 1);
            return new Entry(ImageNetInfo(key, "resnet-imagenet", $"ResNet-{depth}, ImageNet (224×224)", "torchvision"), c => new ImageNetResNet(depth, c));
        }
        if ((m = SeResNetRegex().Match(key)).Success)
        {
            int depth = Int(m, 1);
            return new Entry(ImageNetInfo(key, "se-resnet", $"SE-ResNet-{depth} (the paper's SENet{depth}), ImageNet (224×224)",
                "Cadene/pretrained-models.pytorch (se_resnet)"), c => new SeResNet(depth, c));
        }
        throw new ArgumentException(
            $"Unknown model '{name}'. Valid names: {string.Join(", ", Names)}; parametric forms: {string.Join(", ", Patterns.Select(p => p.Pattern))}.",
            nameof(name));
    }

    private static Entry CifarResNetEntry(string key, int depth, bool bottleneck)
    {
        CifarResNet.BlocksPerStage(depth, bottleneck);
        return new Entry(Info(key, "resnet", $"ResNet-{depth} ({(bottleneck ? "bottleneck" : "basic")} blocks), CIFAR", Cifar,
            new[] { "layer1", "layer2", "layer3" }, Bearpaw), c => new CifarResNet(depth, bottleneck, c));
    }

    private static Entry PreResNetEntry(string key, int depth, bool bottleneck)
    {
        CifarResNet.BlocksPerStage(depth, bottleneck);
        return new Entry(Info(key, "preresnet", $"Pre-activation ResNet-{depth} ({(bottleneck ? "bottleneck" : "basic")} blocks), CIFAR", Cifar,
            new[] { "layer1", "layer2", "layer3" }, Bearpaw), c => new CifarPreResNet(depth, bottleneck, c));
    }

    /// <summary>
    /// Block type when the name does not say: bottlenecks for depth 9n+2 from 164 on (He et al.'s
    /// ResNet-164 and -1001), basic blocks otherwise (ResNet-20 … -110, -1202).
    /// </summary>
    private static bool Bottleneck(Match m, int depth) => m.Groups[2].Success
        ? m.Groups[2].Value == "bottleneck"
        : depth >= 164 && (depth - 2) % 9 == 0;

    private static void CheckDepth(int depth, int step, int offset, string family, string examples)
    {
        if (depth < step + offset || (depth - offset) % step != 0)
            throw new ArgumentException($"A {family} needs depth = {step}n + {offset} (e.g. {examples}), got {depth}.", nameof(depth));
    }

    private static int Int(Match m, int group) =>
        int.TryParse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"Number '{m.Groups[group].Value}' in the model name is too large.");

    private static ModelInfo Info(string name, string family, string description, int[] classes, string[] stages, string reference,
        int minSize = 8, double? dropout = null) =>
        new(name, family, description, 32, 3, classes, stages, minSize, dropout, reference);

    private static ModelInfo ImageNetInfo(string name, string family, string description, string reference) =>
        new(name, family, description, 224, 3, ImageNetClasses, new[] { "layer1", "layer2", "layer3", "layer4" }, 32, null, reference);

    [GeneratedRegex(@"^vgg(11|13|16|19)-bn$")] private static partial Regex VggRegex();
    [GeneratedRegex(@"^resnet-(\d+)(?:-(basic|bottleneck))?$")] private static partial Regex ResNetRegex();
    [GeneratedRegex(@"^preresnet-(\d+)(?:-(basic|bottleneck))?$")] private static partial Regex PreResNetRegex();
    [GeneratedRegex(@"^wrn-(\d+)-(\d+)$")] private static partial Regex WrnRegex();
    [GeneratedRegex(@"^densenet-bc-(\d+)-(\d+)$")] private static partial Regex DenseNetRegex();
    [GeneratedRegex(@"^resnext29-(\d+)x(\d+)d$")] private static partial Regex ResNeXtRegex();
    [GeneratedRegex(@"^resnet(18|34)$")] private static partial Regex ImageNetResNetRegex();
    [GeneratedRegex(@"^se-resnet(50|101|152)$")] private static partial Regex SeResNetRegex();
}
