using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DropActivation.Sweeps.Specs;

/// <summary>
/// Reads sweep specs: JSON (comments and trailing commas allowed). Fields: <c>name</c>, <c>description</c>,
/// <c>models</c>, <c>datasets</c>, <c>activations</c>, <c>p</c> (a list, or <c>{"from", "to", "step"}</c>),
/// <c>seeds</c> (a list, or <c>{"from", "count"}</c>), <c>preset</c> (a name or a map model → name),
/// <c>overrides</c> (train options without dashes: numbers, strings, true for a switch, lists for
/// multi-value options), <c>data</c>, <c>out</c>. Unknown fields are errors, so a typo never silently
/// changes a sweep.
/// </summary>
public static partial class SweepSpecReader
{
    private static readonly string[] Fields = ["name", "description", "models", "datasets", "activations", "p", "seeds", "preset", "overrides", "data", "out"];

    /// <summary>Train options that the grid itself sets for every run; an override may not set them.</summary>
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["model"] = "list it in 'models'", ["dataset"] = "list it in 'datasets'", ["act"] = "list it in 'activations'",
        ["activation"] = "list it in 'activations'", ["p"] = "list it in 'p'", ["seed"] = "list it in 'seeds'",
        ["preset"] = "set 'preset'", ["out"] = "set 'out' (each run gets its own folder below it)",
        ["data"] = "set 'data' or pass --data", ["resume"] = "the sweep resumes interrupted runs by itself",
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads the spec file at <paramref name="path"/>.</summary>
    /// <exception cref="SweepSpecException">Missing file, bad JSON or a bad field (the message names file and field).</exception>
    public static SweepSpec ReadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepSpecException($"{path}: cannot read the sweep spec ({e.Message})", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses spec text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="SweepSpecException">Bad JSON or a bad field.</exception>
    public static SweepSpec Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, DocumentOptions); }
        catch (JsonException e)
        {
            throw new SweepSpecException($"{source}: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            try { return Read(doc.RootElement); }
            catch (SweepSpecException e) { throw new SweepSpecException($"{source}: {e.Message}", e); }
        }
    }

    private static SweepSpec Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new SweepSpecException("a sweep spec is a JSON object");
        foreach (var p in root.EnumerateObject())
            if (!Fields.Contains(p.Name, StringComparer.Ordinal))
                throw new SweepSpecException($"unknown field '{p.Name}'; fields: {string.Join(", ", Fields)}");

        var name = RequiredString(root, "name");
        if (!NamePattern().IsMatch(name))
            throw new SweepSpecException($"'name' must be lower-case letters, digits, '-', '_' or '.', got '{name}'");
        var activations = Names(root, "activations");
        var pValues = PValues(root);
        if (pValues.Count > 0 && !activations.Any(IsDropActivation))
            throw new SweepSpecException("'p' is given but no activation in 'activations' is a Drop-Activation (\"dropact...\")");
        return new SweepSpec
        {
            Name = name,
            Description = OptionalString(root, "description"),
            Models = Names(root, "models"),
            Datasets = Names(root, "datasets"),
            Activations = activations,
            PValues = pValues,
            Seeds = Seeds(root),
            Preset = Preset(root),
            Overrides = Overrides(root),
            Data = OptionalString(root, "data"),
            Out = OptionalString(root, "out"),
        };
    }

    /// <summary>Whether p applies to <paramref name="activation"/> ("dropact", "dropact-elu", ...).</summary>
    public static bool IsDropActivation(string activation) => activation.StartsWith("dropact", StringComparison.Ordinal);

    private static string RequiredString(JsonElement root, string field) =>
        OptionalString(root, field) ?? throw new SweepSpecException($"'{field}' is missing");

    private static string? OptionalString(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
            throw new SweepSpecException($"'{field}' must be a non-empty string");
        return e.GetString()!;
    }

    private static IReadOnlyList<string> Names(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var e)) throw new SweepSpecException($"'{field}' is missing");
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0)
            throw new SweepSpecException($"'{field}' must be a non-empty list of names");
        var list = new List<string>();
        foreach (var item in e.EnumerateArray())
        {
            var s = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (s is null || !IdPartPattern().IsMatch(s))
                throw new SweepSpecException($"'{field}' entries must be names of lower-case letters, digits, '-', '_' or '.', got {item.GetRawText()}");
            if (list.Contains(s)) throw new SweepSpecException($"'{field}' lists '{s}' twice");
            list.Add(s);
        }
        return list;
    }

    private static IReadOnlyList<double> PValues(JsonElement root)
    {
        if (!root.TryGetProperty("p", out var e) || e.ValueKind == JsonValueKind.Null) return Array.Empty<double>();
        List<double> values;
        if (e.ValueKind == JsonValueKind.Array)
        {
            values = new List<double>();
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number) throw new SweepSpecException($"'p' entries must be numbers, got {item.GetRawText()}");
                values.Add(item.GetDouble());
            }
        }
        else if (e.ValueKind == JsonValueKind.Object)
        {
            CheckKeys(e, "p", "from", "to", "step");
            decimal from = Decimal(e, "p", "from"), to = Decimal(e, "p", "to"), step = Decimal(e, "p", "step");
            if (step <= 0) throw new SweepSpecException("'p.step' must be positive");
            if (to < from) throw new SweepSpecException("'p.to' must not be below 'p.from'");
            decimal count = (to - from) / step;
            if (count != decimal.Truncate(count))
                throw new SweepSpecException($"'p': {to} - {from} is not a whole number of steps of {step}");
            values = Enumerable.Range(0, (int)count + 1).Select(i => (double)(from + i * step)).ToList();
        }
        else throw new SweepSpecException("'p' must be a list of numbers or {\"from\": a, \"to\": b, \"step\": s}");

        if (values.Count == 0) throw new SweepSpecException("'p' is empty (leave it out for train's default)");
        foreach (var v in values)
            if (!(v >= 0 && v <= 1)) throw new SweepSpecException($"'p' values must lie in [0, 1], got {v.ToString(CultureInfo.InvariantCulture)}");
        var dup = values.GroupBy(Format.P).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new SweepSpecException($"'p' lists {dup.Key} twice");
        return values;
    }

    private static IReadOnlyList<long> Seeds(JsonElement root)
    {
        if (!root.TryGetProperty("seeds", out var e)) throw new SweepSpecException("'seeds' is missing");
        List<long> seeds;
        if (e.ValueKind == JsonValueKind.Array)
        {
            seeds = new List<long>();
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var s) || s < 0)
                    throw new SweepSpecException($"'seeds' entries must be non-negative integers, got {item.GetRawText()}");
                seeds.Add(s);
            }
        }
        else if (e.ValueKind == JsonValueKind.Object)
        {
            CheckKeys(e, "seeds", "from", "count");
            long from = Integer(e, "seeds", "from"), count = Integer(e, "seeds", "count");
            if (from < 0 || count < 1) throw new SweepSpecException("'seeds' needs from >= 0 and count >= 1");
            seeds = Enumerable.Range(0, checked((int)count)).Select(i => from + i).ToList();
        }
        else throw new SweepSpecException("'seeds' must be a list of integers or {\"from\": a, \"count\": n}");
        if (seeds.Count == 0) throw new SweepSpecException("'seeds' is empty");
        var dup = seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new SweepSpecException($"'seeds' lists {dup.Key} twice");
        return seeds;
    }

    private static PresetChoice Preset(JsonElement root)
    {
        if (!root.TryGetProperty("preset", out var e) || e.ValueKind == JsonValueKind.Null) return PresetChoice.None;
        if (e.ValueKind == JsonValueKind.String && IdPartPattern().IsMatch(e.GetString()!)) return new PresetChoice { Single = e.GetString() };
        if (e.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String || !IdPartPattern().IsMatch(p.Value.GetString()!))
                    throw new SweepSpecException($"'preset.{p.Name}' must be a preset name");
                map[p.Name] = p.Value.GetString()!;
            }
            if (map.Count == 0) throw new SweepSpecException("'preset' is an empty map");
            return new PresetChoice { ByModel = map };
        }
        throw new SweepSpecException("'preset' must be a preset name or a map from model name (or \"*\") to preset name");
    }

    private static IReadOnlyList<TrainOverride> Overrides(JsonElement root)
    {
        if (!root.TryGetProperty("overrides", out var e) || e.ValueKind == JsonValueKind.Null) return Array.Empty<TrainOverride>();
        if (e.ValueKind != JsonValueKind.Object) throw new SweepSpecException("'overrides' must be an object of train options, e.g. {\"epochs\": 1}");
        var list = new List<TrainOverride>();
        foreach (var p in e.EnumerateObject())
        {
            var key = p.Name.StartsWith("--", StringComparison.Ordinal) ? p.Name[2..] : p.Name;
            if (!OptionPattern().IsMatch(key)) throw new SweepSpecException($"'overrides': '{p.Name}' is not an option name");
            if (Reserved.TryGetValue(key, out var instead)) throw new SweepSpecException($"'overrides' may not set '{key}': {instead}");
            if (list.Any(o => o.Name == key)) throw new SweepSpecException($"'overrides' sets '{key}' twice");
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.True: list.Add(new TrainOverride(key, Array.Empty<string>())); break;
                case JsonValueKind.False or JsonValueKind.Null: break; // a switch left off
                case JsonValueKind.Array:
                    var values = p.Value.EnumerateArray().Select(v => Scalar(v, key)).ToArray();
                    if (values.Length == 0) throw new SweepSpecException($"'overrides.{key}' is an empty list");
                    list.Add(new TrainOverride(key, values));
                    break;
                default: list.Add(new TrainOverride(key, [Scalar(p.Value, key)])); break;
            }
        }
        return list;
    }

    private static string Scalar(JsonElement v, string key) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetRawText(),
        _ => throw new SweepSpecException($"'overrides.{key}' must be a number, a string, true/false or a list of them, got {v.GetRawText()}"),
    };

    private static void CheckKeys(JsonElement e, string field, params string[] keys)
    {
        foreach (var p in e.EnumerateObject())
            if (!keys.Contains(p.Name)) throw new SweepSpecException($"'{field}' has unknown key '{p.Name}'; keys: {string.Join(", ", keys)}");
        foreach (var k in keys)
            if (!e.TryGetProperty(k, out _)) throw new SweepSpecException($"'{field}.{k}' is missing");
    }

    private static decimal Decimal(JsonElement e, string field, string key)
    {
        var v = e.GetProperty(key);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var d)) throw new SweepSpecException($"'{field}.{key}' must be a number");
        return d;
    }

    private static long Integer(JsonElement e, string field, string key)
    {
        var v = e.GetProperty(key);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var i)) throw new SweepSpecException($"'{field}.{key}' must be an integer");
        return i;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex IdPartPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex OptionPattern();
}
