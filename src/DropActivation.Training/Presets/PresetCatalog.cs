using System.Text.Json;

namespace DropActivation.Training.Presets;

/// <summary>
/// The paper's presets, read from the <c>presets/*.json</c> files embedded in this assembly, plus
/// any preset file given by path. <see cref="Match"/> finds the recipe of a (model, data set) pair.
/// </summary>
public static class PresetCatalog
{
    private static readonly Lazy<IReadOnlyList<Preset>> Embedded = new(LoadEmbedded);

    /// <summary>Every built-in preset, in name order.</summary>
    public static IReadOnlyList<Preset> All => Embedded.Value;

    /// <summary>Built-in preset names.</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    /// <summary>A built-in preset by name, or a preset file (a path ending in .json).</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones) or an unreadable file.</exception>
    public static Preset Get(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(nameOrPath))
        {
            try { return Parse(File.ReadAllText(nameOrPath), nameOrPath); }
            catch (JsonException e) { throw new ArgumentException($"{nameOrPath}: not a valid preset file: {e.Message}", nameof(nameOrPath), e); }
        }
        return All.FirstOrDefault(p => string.Equals(p.Name, nameOrPath.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown preset '{nameOrPath}'. Valid: {string.Join(", ", Names)} (or a path to a preset .json file).", nameof(nameOrPath));
    }

    /// <summary>The built-in preset for a model on a data set (the paper's recipe), or null when the paper has none.</summary>
    public static Preset? Match(string model, string dataset) =>
        All.FirstOrDefault(p => p.Models.Contains(model, StringComparer.OrdinalIgnoreCase) && p.Datasets.Contains(dataset, StringComparer.OrdinalIgnoreCase));

    /// <summary>Parses one preset file's text; <paramref name="origin"/> names it in errors.</summary>
    public static Preset Parse(string json, string origin)
    {
        var preset = JsonSerializer.Deserialize<Preset>(json) ?? throw new JsonException($"{origin}: empty preset");
        if (preset.BatchSize < 1 || preset.Epochs < 1 || !(preset.LearningRate > 0))
            throw new JsonException($"{origin}: batch_size, epochs and lr must be positive");
        return preset;
    }

    private static IReadOnlyList<Preset> LoadEmbedded()
    {
        var asm = typeof(PresetCatalog).Assembly;
        var list = new List<Preset>();
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith("presets/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = asm.GetManifestResourceStream(res)!;
            using var reader = new StreamReader(stream);
            list.Add(Parse(reader.ReadToEnd(), res));
        }
        return list.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
    }
}
