using System.Text.Json;

namespace DropActivation.Sweeps.Specs;

/// <summary>Writes a spec back as JSON that <see cref="SweepSpecReader"/> reads into the same runs (used for the frozen copy a Slurm array reads).</summary>
public static class SweepSpecWriter
{
    /// <summary>The spec as indented JSON, with <paramref name="data"/> and <paramref name="out"/> in place of the spec's own paths.</summary>
    public static string ToJson(SweepSpec spec, string? data, string? @out)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            if (spec.Description is not null) w.WriteString("description", spec.Description);
            WriteList(w, "models", spec.Models);
            WriteList(w, "datasets", spec.Datasets);
            WriteList(w, "activations", spec.Activations);
            if (spec.PValues.Count > 0)
            {
                w.WriteStartArray("p");
                foreach (var p in spec.PValues) w.WriteRawValue(Format.P(p));
                w.WriteEndArray();
            }
            w.WriteStartArray("seeds");
            foreach (var s in spec.Seeds) w.WriteNumberValue(s);
            w.WriteEndArray();
            if (spec.Preset.Single is { } single) w.WriteString("preset", single);
            else if (spec.Preset.ByModel is { } map)
            {
                w.WriteStartObject("preset");
                foreach (var (model, preset) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(model, preset);
                w.WriteEndObject();
            }
            if (spec.Overrides.Count > 0)
            {
                w.WriteStartObject("overrides");
                foreach (var o in spec.Overrides)
                {
                    if (o.Values.Count == 0) w.WriteBoolean(o.Name, true);
                    else if (o.Values.Count == 1) w.WriteString(o.Name, o.Values[0]);
                    else WriteList(w, o.Name, o.Values);
                }
                w.WriteEndObject();
            }
            if (data is not null) w.WriteString("data", data);
            if (@out is not null) w.WriteString("out", @out);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteList(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
