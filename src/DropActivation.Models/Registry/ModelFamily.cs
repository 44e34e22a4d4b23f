using System.Globalization;
using System.Text.RegularExpressions;

namespace DropActivation.Models.Registry;

/// <summary>
/// A family of zoo models, registered by the file that defines it (each model class's static <c>Family</c>): its
/// <see cref="Name"/>, the names it builds (<see cref="Pattern"/> for listings, <see cref="Regex"/> with the groups
/// <see cref="Resolve"/> reads), the model's own <see cref="Stages"/>, its <see cref="Reference"/> implementation,
/// the paper's names and aliases, and its input defaults. <see cref="ModelRegistry.Families"/> lists them.
/// </summary>
public sealed record ModelFamily(string Name, string Pattern, string Meaning, string Regex, IReadOnlyList<string> Stages, string Reference,
    Func<Match, ModelVariant> Resolve)
{
    internal const string Bearpaw = "bearpaw/pytorch-classification";

    /// <summary>The paper's models of this family, in the order of its tables.</summary>
    public IReadOnlyList<string> PaperNames { get; init; } = [];

    /// <summary>Other spellings, alias → a name <see cref="Regex"/> matches (resnet110 → resnet-110).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>Input size, channels and class counts the originals were trained with; smallest input size.</summary>
    public int ImageSize { get; init; } = 32;
    public int InChannels { get; init; } = 3;
    public IReadOnlyList<int> ClassCounts { get; init; } = [10, 100];
    public int MinImageSize { get; init; } = 8;

    /// <summary>The entry of a lower-case name of this family (an alias or a match of <see cref="Regex"/>), else null.</summary>
    internal (ModelInfo Info, ModelVariant Variant)? Match(string key)
    {
        var m = System.Text.RegularExpressions.Regex.Match(Aliases.GetValueOrDefault(key, key), Regex);
        if (!m.Success) return null;
        var v = Resolve(m);
        return (new ModelInfo(key, Name, v.Description, ImageSize, InChannels, ClassCounts, Stages, MinImageSize, v.Dropout, Reference), v);
    }

    /// <summary>An ArgumentException unless depth = step·n + offset with n ≥ 1.</summary>
    internal static void CheckDepth(int depth, int step, int offset, string family, string examples)
    {
        if (depth < step + offset || (depth - offset) % step != 0)
            throw new ArgumentException($"A {family} needs depth = {step}n + {offset} (e.g. {examples}), got {depth}.", nameof(depth));
    }
}

/// <summary>What one name of a family builds: a line for listings, the model for a config, the original's dropout (null: none).</summary>
public sealed record ModelVariant(string Description, Func<ModelConfig, ZooModel> Build, double? Dropout = null);

internal static class MatchNumbers
{
    /// <summary>The number in a group of a model name's match.</summary>
    internal static int Int(this Match m, int group) =>
        int.TryParse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"Number '{m.Groups[group].Value}' in the model name is too large.");
}
