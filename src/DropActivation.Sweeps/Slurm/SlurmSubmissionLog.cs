using System.Text.Json;

namespace DropActivation.Sweeps.Slurm;

/// <summary>The submissions of a sweep (<c>SWEEP_ROOT/.sweep/slurm-submissions.jsonl</c>), oldest first.</summary>
public static class SlurmSubmissionLog
{
    /// <summary>The file name inside the sweep's state folder.</summary>
    public const string FileName = "slurm-submissions.jsonl";

    /// <summary>Appends <paramref name="submission"/>.</summary>
    public static void Append(string stateFolder, SlurmSubmission submission)
    {
        Directory.CreateDirectory(stateFolder);
        File.AppendAllText(Path.Combine(stateFolder, FileName), JsonSerializer.Serialize(submission) + "\n");
    }

    /// <summary>All submissions (none when the file does not exist).</summary>
    /// <exception cref="InvalidDataException">A line is not a submission.</exception>
    public static IReadOnlyList<SlurmSubmission> Read(string stateFolder)
    {
        var path = Path.Combine(stateFolder, FileName);
        if (!File.Exists(path)) return Array.Empty<SlurmSubmission>();
        var list = new List<SlurmSubmission>();
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { list.Add(JsonSerializer.Deserialize<SlurmSubmission>(line) ?? throw new JsonException("null")); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{n}: not a submission record ({e.Message})", e); }
        }
        return list;
    }
}
