using System.Text.Json;

namespace DropActivation.Sweeps.Status;

/// <summary>Reads and atomically writes <c>RUN_DIR/sweep-status.json</c>.</summary>
public static class RunStatusFile
{
    /// <summary>The file name.</summary>
    public const string FileName = "sweep-status.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The record in <paramref name="runFolder"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a status record.</exception>
    public static RunStatusRecord? Read(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunStatusRecord>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a sweep status record ({e.Message}); delete it to start the run afresh", e);
        }
    }

    /// <summary>Writes <paramref name="record"/> into <paramref name="runFolder"/> (temporary file, then rename).</summary>
    public static void Write(string runFolder, RunStatusRecord record)
    {
        var path = Path.Combine(runFolder, FileName);
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(record, Json));
        File.Move(tmp, path, overwrite: true);
    }
}
