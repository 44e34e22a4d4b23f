using System.Text.Json;
using System.Text.Json.Serialization;

namespace DropActivation.Sweeps.Specs;

/// <summary>Writes a spec back as JSON that <see cref="SweepSpecReader"/> reads into the same runs (used for the frozen copy a Slurm array reads).</summary>
public static class SweepSpecWriter
{
    private static readonly JsonSerializerOptions Options = new(SweepSpecReader.JsonOptions) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The spec as indented JSON, with <paramref name="data"/> and <paramref name="out"/> in place of the spec's own paths.</summary>
    public static string ToJson(SweepSpec spec, string? data, string? @out) => JsonSerializer.Serialize(new SweepSpecReader.Document(
        Name: spec.Name, Description: spec.Description, Models: [.. spec.Models], Datasets: [.. spec.Datasets], Activations: [.. spec.Activations],
        P: spec.PValues.Count > 0 ? JsonDocument.Parse($"[{string.Join(",", spec.PValues.Select(Format.P))}]").RootElement : null,
        Seeds: JsonSerializer.SerializeToElement(spec.Seeds),
        Preset: spec.Preset.Single is { } single ? JsonSerializer.SerializeToElement(single)
            : spec.Preset.ByModel is { } map ? JsonSerializer.SerializeToElement(new SortedDictionary<string, string>(map.ToDictionary(), StringComparer.Ordinal)) : null,
        Overrides: spec.Overrides.Count > 0
            ? JsonSerializer.SerializeToElement(spec.Overrides.ToDictionary(o => o.Name, o => o.Values.Count switch { 0 => true, 1 => (object)o.Values[0], _ => o.Values }))
            : null,
        Data: data, Out: @out), Options) + "\n";
}
