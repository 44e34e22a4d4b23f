using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace DropActivation.Sweeps.Specs;

/// <summary>
/// Reads sweep specs: JSON (comments and trailing commas allowed). Fields: <c>name</c>, <c>description</c>,
/// <c>models</c>, <c>datasets</c>, <c>activations</c>, <c>p</c> (a list, or <c>{"from", "to", "step"}</c>),
/// <c>seeds</c> (a list, or <c>{"from", "count"}</c>), <c>preset</c> (a name or a map model → name),
/// <c>overrides</c> (train options without dashes: numbers, strings, true for a switch, lists for
/// multi-value options), <c>data</c>, <c>out</c>. Unknown fields are errors, so a typo never silently
/// changes a sweep. System.Text.Json reads the file into <see cref="Document"/>; a validation pass then
/// checks it field by field.
/// </summary>
public static partial class SweepSpecReader
{
    /// <summary>The most p values or seeds a range may give: a bound far above any real sweep, so that an absurd number is an error, not an allocation.</summary>
    private const int MaxRange = 10_000;

    private static readonly string[] Fields = ["name", "description", "models", "datasets", "activations", "p", "seeds", "preset", "overrides", "data", "out"];

    /// <summary>Train options that the grid itself sets for every run; an override may not set them.</summary>
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["model"] = "list it in 'models'", ["dataset"] = "list it in 'datasets'", ["act"] = "list it in 'activations'",
        ["activation"] = "list it in 'activations'", ["p"] = "list it in 'p'", ["seed"] = "list it in 'seeds'",
        ["preset"] = "set 'preset'", ["out"] = "set 'out' (each run gets its own folder below it)",
        ["data"] = "set 'data' or pass --data", ["resume"] = "the sweep resumes interrupted runs by itself",
    };

    /// <summary>The spec's JSON: field names are the camel-case <see cref="Document"/> names; comments and trailing commas allowed.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// A spec file as written (and as <see cref="SweepSpecWriter"/> writes it): the plain fields typed; p, seeds and preset
    /// (each has two forms) and the overrides (in order) as JSON.
    /// </summary>
    internal sealed record Document(string? Name, string? Description, string?[]? Models, string?[]? Datasets, string?[]? Activations,
        JsonElement? P, JsonElement? Seeds, JsonElement? Preset, JsonElement? Overrides, string? Data, string? Out)
    {
        /// <summary>Fields the spec format does not have.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; init; }
    }

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
        try { JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).Dispose(); }
        catch (JsonException e)
        {
            throw new SweepSpecException($"{source}: not valid JSON ({e.Message})", e);
        }
        try { return Check(Read(json)); }
        catch (SweepSpecException e) { throw new SweepSpecException($"{source}: {e.Message}", e); }
    }

    /// <summary>Whether p applies to <paramref name="activation"/> ("dropact", "dropact-elu", ...).</summary>
    public static bool IsDropActivation(string activation) => activation.StartsWith("dropact", StringComparison.Ordinal);

    private static Document Read(string json)
    {
        try { return JsonSerializer.Deserialize<Document>(json, JsonOptions) ?? throw new JsonException(null, "$", null, null); }
        catch (JsonException e)
        {
            // A value of the wrong type: name the field as the validation pass would.
            var field = e.Path?.TrimStart('$', '.').Split('[')[0];
            throw new SweepSpecException(field switch
            {
                null or "" => "a sweep spec is a JSON object",
                "models" or "datasets" or "activations" => e.Path!.Contains('[')
                    ? $"'{field}' entries must be names of lower-case letters, digits, '-', '_' or '.'"
                    : $"'{field}' must be a non-empty list of names",
                _ => $"'{field}' must be a non-empty string",
            }, e);
        }
    }

    /// <summary>The validation pass: every field checked, the messages naming it.</summary>
    private static SweepSpec Check(Document d)
    {
        if (d.Unknown?.Keys.FirstOrDefault() is { } unknown)
            throw new SweepSpecException($"unknown field '{unknown}'; fields: {string.Join(", ", Fields)}");
        var name = Text(d.Name, "name") ?? throw new SweepSpecException("'name' is missing");
        if (!NamePattern().IsMatch(name))
            throw new SweepSpecException($"'name' must be lower-case letters, digits, '-', '_' or '.', got '{name}'");
        var activations = Names(d.Activations, "activations");
        var pValues = PValues(d.P);
        if (pValues.Count > 0 && !activations.Any(IsDropActivation))
            throw new SweepSpecException("'p' is given but no activation in 'activations' is a Drop-Activation (\"dropact...\")");
        return new SweepSpec
        {
            Name = name,
            Description = Text(d.Description, "description"),
            Models = Names(d.Models, "models"),
            Datasets = Names(d.Datasets, "datasets"),
            Activations = activations,
            PValues = pValues,
            Seeds = Seeds(d.Seeds),
            Preset = Preset(d.Preset),
            Overrides = Overrides(d.Overrides),
            Data = Text(d.Data, "data"),
            Out = Text(d.Out, "out"),
        };
    }

    private static string? Text(string? value, string field) =>
        value is not null && string.IsNullOrWhiteSpace(value) ? throw new SweepSpecException($"'{field}' must be a non-empty string") : value;

    private static IReadOnlyList<string> Names(string?[]? given, string field)
    {
        if (given is null) throw new SweepSpecException($"'{field}' is missing");
        if (given.Length == 0) throw new SweepSpecException($"'{field}' must be a non-empty list of names");
        var list = new List<string>();
        foreach (var s in given)
        {
            if (s is null || !NamePattern().IsMatch(s))
                throw new SweepSpecException($"'{field}' entries must be names of lower-case letters, digits, '-', '_' or '.', got {JsonSerializer.Serialize(s)}");
            if (list.Contains(s)) throw new SweepSpecException($"'{field}' lists '{s}' twice");
            list.Add(s);
        }
        return list;
    }

    private static IReadOnlyList<double> PValues(JsonElement? given)
    {
        List<double> values;
        if (given is not { ValueKind: not JsonValueKind.Null } e) return Array.Empty<double>();
        if (e.ValueKind == JsonValueKind.Array)
            values = e.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number ? item.GetDouble()
                : throw new SweepSpecException($"'p' entries must be numbers, got {item.GetRawText()}")).ToList();
        else if (e.ValueKind == JsonValueKind.Object)
        {
            var (from, to, step) = Numbers(e, "p", "from", "to", "step") is [var f, var t, var s] ? (f, t, s) : default;
            if (step <= 0) throw new SweepSpecException("'p.step' must be positive");
            if (to < from) throw new SweepSpecException("'p.to' must not be below 'p.from'");
            decimal count;
            try { count = (to - from) / step; }
            catch (OverflowException) { count = decimal.MaxValue; }
            if (count > MaxRange) throw new SweepSpecException($"'p' spans more than {MaxRange} steps");
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

    private static IReadOnlyList<long> Seeds(JsonElement? given)
    {
        List<long> seeds;
        if (given is not { } e) throw new SweepSpecException("'seeds' is missing");
        if (e.ValueKind == JsonValueKind.Array)
            seeds = e.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var s) && s >= 0 ? s
                : throw new SweepSpecException($"'seeds' entries must be non-negative integers, got {item.GetRawText()}")).ToList();
        else if (e.ValueKind == JsonValueKind.Object)
        {
            var (from, count) = Numbers(e, "seeds", "from", "count") is [var f, var c] ? (f, c) : default;
            if ((from != decimal.Truncate(from) ? "from" : count != decimal.Truncate(count) ? "count" : null) is { } key)
                throw new SweepSpecException($"'seeds.{key}' must be an integer");
            if (from < 0 || count < 1) throw new SweepSpecException("'seeds' needs from >= 0 and count >= 1");
            if (count > MaxRange || from > long.MaxValue - count) throw new SweepSpecException($"'seeds' needs count <= {MaxRange} and from + count within 64-bit integers");
            seeds = Enumerable.Range(0, checked((int)count)).Select(i => (long)from + i).ToList();
        }
        else throw new SweepSpecException("'seeds' must be a list of integers or {\"from\": a, \"count\": n}");
        if (seeds.Count == 0) throw new SweepSpecException("'seeds' is empty");
        var dup = seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new SweepSpecException($"'seeds' lists {dup.Key} twice");
        return seeds;
    }

    private static PresetChoice Preset(JsonElement? given)
    {
        if (given is not { ValueKind: not JsonValueKind.Null } e) return PresetChoice.None;
        if (e.ValueKind == JsonValueKind.String && NamePattern().IsMatch(e.GetString()!)) return new PresetChoice { Single = e.GetString() };
        if (e.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String || !NamePattern().IsMatch(p.Value.GetString()!))
                    throw new SweepSpecException($"'preset.{p.Name}' must be a preset name");
                map[p.Name] = p.Value.GetString()!;
            }
            if (map.Count == 0) throw new SweepSpecException("'preset' is an empty map");
            return new PresetChoice { ByModel = map };
        }
        throw new SweepSpecException("'preset' must be a preset name or a map from model name (or \"*\") to preset name");
    }

    private static IReadOnlyList<TrainOverride> Overrides(JsonElement? given)
    {
        if (given is not { ValueKind: not JsonValueKind.Null } e) return Array.Empty<TrainOverride>();
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

    /// <summary>The numbers <paramref name="keys"/> of a range object, in that order; any other key is an error.</summary>
    private static decimal[] Numbers(JsonElement e, string field, params string[] keys)
    {
        foreach (var p in e.EnumerateObject())
            if (!keys.Contains(p.Name)) throw new SweepSpecException($"'{field}' has unknown key '{p.Name}'; keys: {string.Join(", ", keys)}");
        return keys.Select(k => !e.TryGetProperty(k, out var v) ? throw new SweepSpecException($"'{field}.{k}' is missing")
            : v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) ? d : throw new SweepSpecException($"'{field}.{k}' must be a number")).ToArray();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex OptionPattern();
}
