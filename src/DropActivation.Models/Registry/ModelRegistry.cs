using System.Text.RegularExpressions;
using DropActivation.Models.Cifar;
using DropActivation.Models.ImageNet;
using DropActivation.Models.Simple;
using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>
/// Every network of the paper by name: <c>ModelRegistry.Create("wrn-28-10", new ModelConfig(100) { Activation =
/// ActivationFactory.FromName("dropact", 0.95) })</c>. Each model's file registers its <see cref="ModelFamily"/>;
/// <see cref="Names"/> lists the paper's models, <see cref="Patterns"/> the forms (depth, width, growth rate,
/// cardinality) parsed from the name, <see cref="List"/> filters the names like timm's <c>list_models</c>.
/// </summary>
public static class ModelRegistry
{
    /// <summary>The model families, in the order of the paper's tables; a new model is one line here.</summary>
    public static IReadOnlyList<ModelFamily> Families { get; } =
    [
        VggBN.Family, CifarResNet.Family, CifarPreResNet.Family, WideResNet.Family, DenseNetBC.Family, ResNeXt29.Family,
        ResNet18Cifar.Family, ImageNetResNet.Family, SeResNet.Family, SimpleCnn.Family, RegressionMlp.Family,
    ];

    /// <summary>The paper's models, in the order of its tables.</summary>
    public static IReadOnlyList<string> Names { get; } = Families.SelectMany(f => f.PaperNames).ToArray();

    /// <summary>The parametric names the registry parses, with what they mean.</summary>
    public static IReadOnlyList<(string Pattern, string Meaning)> Patterns { get; } =
        Families.Where(f => !f.PaperNames.Contains(f.Pattern)).Select(f => (f.Pattern, f.Meaning)).ToArray();

    /// <summary>
    /// The names that match a glob (<c>*</c> any text, <c>?</c> one character, case-insensitive), all for a null or empty
    /// filter: <c>List("wrn*")</c> is wrn-28-10, wrn-16-8. The paper's models unless <paramref name="names"/> are given.
    /// </summary>
    public static IReadOnlyList<string> List(string? filter = null, IEnumerable<string>? names = null)
    {
        names ??= Names;
        if (string.IsNullOrWhiteSpace(filter)) return names.ToList();
        var glob = "^" + Regex.Escape(filter.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return names.Where(n => Regex.IsMatch(n, glob, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToList();
    }

    /// <summary>What a name builds: description, defaults, stages, reference.</summary>
    /// <exception cref="ArgumentException">Unknown or malformed name (the message lists the valid ones).</exception>
    public static ModelInfo Describe(string name) => Resolve(name).Info;

    /// <summary>Builds the model a name stands for; a null config is the original's (<see cref="ModelInfo.DefaultConfig"/>).</summary>
    /// <exception cref="ArgumentException">Unknown name, impossible depth/width, bad config (classes, channels, size, stages, dropout).</exception>
    public static ZooModel Create(string name, ModelConfig? config = null)
    {
        var (info, variant) = Resolve(name);
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
        return variant.Build(config);
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

    private static (ModelInfo Info, ModelVariant Variant) Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        foreach (var family in Families)
            if (family.Match(key) is { } found) return found;
        throw new ArgumentException(
            $"Unknown model '{name}'. Valid names: {string.Join(", ", Names)}; parametric forms: {string.Join(", ", Patterns.Select(p => p.Pattern))}.",
            nameof(name));
    }
}
