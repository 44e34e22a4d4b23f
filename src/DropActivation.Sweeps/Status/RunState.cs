using System.Text.Json.Serialization;

namespace DropActivation.Sweeps.Status;

/// <summary>Where a run of a sweep stands (in JSON, the lower-case name: "pending", "done", …).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    /// <summary>Not started yet (or queued in Slurm).</summary>
    [JsonStringEnumMemberName("pending")] Pending,
    /// <summary>A live process (here, or a running Slurm task) is training it.</summary>
    [JsonStringEnumMemberName("running")] Running,
    /// <summary>Trained to the last epoch; skipped by run and submit.</summary>
    [JsonStringEnumMemberName("done")] Done,
    /// <summary>Ended with an error or was interrupted; run and submit retry it, resuming from its checkpoint.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Its folder was made with other settings (another fingerprint); run and submit refuse to touch it.</summary>
    [JsonStringEnumMemberName("conflict")] Conflict,
}
