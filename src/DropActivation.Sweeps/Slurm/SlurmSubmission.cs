using System.Text.Json.Serialization;

namespace DropActivation.Sweeps.Slurm;

/// <summary>One <c>sweep submit</c>: a line of <c>SWEEP_ROOT/.sweep/slurm-submissions.jsonl</c>.</summary>
public sealed record SlurmSubmission
{
    /// <summary>Slurm's array job id.</summary>
    [JsonPropertyName("job_id")] public required string JobId { get; init; }

    /// <summary>When it was submitted (UTC).</summary>
    [JsonPropertyName("submitted")] public required DateTime Submitted { get; init; }

    /// <summary>The sbatch script.</summary>
    [JsonPropertyName("script")] public required string Script { get; init; }

    /// <summary>Array index → run id.</summary>
    [JsonPropertyName("tasks")] public required IReadOnlyDictionary<int, string> Tasks { get; init; }

    /// <summary>Folder of the tasks' output files (JOBID_INDEX.out).</summary>
    [JsonPropertyName("log_folder")] public required string LogFolder { get; init; }

    /// <summary>Output file of array task <paramref name="index"/>.</summary>
    public string OutputFile(int index) => Path.Combine(LogFolder, $"{JobId}_{index}.out");
}
