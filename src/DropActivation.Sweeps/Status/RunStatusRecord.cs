using System.Text.Json.Serialization;

namespace DropActivation.Sweeps.Status;

/// <summary>
/// The sweep's bookkeeping in a run folder (<c>RUN_DIR/sweep-status.json</c>), written by the process that
/// executes the run (locally or inside a Slurm task) when it starts and when it ends.
/// </summary>
public sealed record RunStatusRecord
{
    /// <summary>Run id.</summary>
    [JsonPropertyName("run")] public required string Run { get; init; }

    /// <summary>Fingerprint of the run's settings (<see cref="Planning.SweepRun.Fingerprint"/>).</summary>
    [JsonPropertyName("fingerprint")] public required string Fingerprint { get; init; }

    /// <summary>Pending (written before the first start), Running, Done or Failed; "pending", "running", … in the file.</summary>
    [JsonPropertyName("state")] public required RunState State { get; init; }

    /// <summary>How many times the run was started.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; }

    /// <summary>Machine that ran the last attempt.</summary>
    [JsonPropertyName("host")] public string? Host { get; init; }

    /// <summary>Process id of the sweep process that ran the last attempt.</summary>
    [JsonPropertyName("pid")] public int? Pid { get; init; }

    /// <summary>Start time of that process (tells a live process from a reused pid).</summary>
    [JsonPropertyName("pid_start")] public DateTime? PidStart { get; init; }

    /// <summary>Process id of <c>dropact train</c>.</summary>
    [JsonPropertyName("train_pid")] public int? TrainPid { get; init; }

    /// <summary>Start time of <c>dropact train</c>.</summary>
    [JsonPropertyName("train_pid_start")] public DateTime? TrainPidStart { get; init; }

    /// <summary>Slurm task ("JOBID_INDEX") that ran the last attempt, or null outside Slurm.</summary>
    [JsonPropertyName("slurm_job")] public string? SlurmJob { get; init; }

    /// <summary>How many times Slurm had requeued the task when the last attempt started (SLURM_RESTART_COUNT), or null outside Slurm.</summary>
    [JsonPropertyName("slurm_restarts")] public int? SlurmRestarts { get; init; }

    /// <summary>When the last attempt started (UTC).</summary>
    [JsonPropertyName("started")] public DateTime? Started { get; init; }

    /// <summary>When the last attempt ended (UTC).</summary>
    [JsonPropertyName("finished")] public DateTime? Finished { get; init; }

    /// <summary>Exit code of <c>dropact train</c> in the last attempt.</summary>
    [JsonPropertyName("exit_code")] public int? ExitCode { get; init; }

    /// <summary>Whether the last attempt continued from a checkpoint.</summary>
    [JsonPropertyName("resumed")] public bool Resumed { get; init; }

    /// <summary>The command line of the last attempt.</summary>
    [JsonPropertyName("command")] public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Why the last attempt failed, for people.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
}
