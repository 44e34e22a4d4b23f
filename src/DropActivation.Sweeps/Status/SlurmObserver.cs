using DropActivation.Sweeps.Slurm;

namespace DropActivation.Sweeps.Status;

/// <summary>
/// Slurm as the status reader sees it: the queue (read once) and finished tasks (<c>scontrol show job</c>,
/// read once per job), or nothing, with the reason, when Slurm is not installed or not reachable.
/// </summary>
public sealed class SlurmObserver
{
    private readonly SlurmClient? _client;
    private IReadOnlyDictionary<string, SlurmTaskInfo>? _queue;
    private readonly Dictionary<string, IReadOnlyDictionary<string, SlurmTaskInfo>> _jobs = new(StringComparer.Ordinal);

    /// <summary>An observer over <paramref name="client"/>.</summary>
    public SlurmObserver(SlurmClient client) => _client = client;

    private SlurmObserver(string reason) => UnavailableReason = reason;

    /// <summary>An observer that knows nothing, because of <paramref name="reason"/>.</summary>
    public static SlurmObserver Unavailable(string reason) => new(reason);

    /// <summary>Locates and pings Slurm; an unavailable observer (with the reason) when that fails.</summary>
    public static SlurmObserver Connect()
    {
        try
        {
            var client = SlurmClient.Locate();
            client.EnsureReachable();
            return new SlurmObserver(client);
        }
        catch (SlurmUnavailableException e)
        {
            return Unavailable(e.Message);
        }
    }

    /// <summary>Why Slurm cannot be asked, or null when it can.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>What Slurm says about task "JOBID_INDEX" (or a plain job id); null when it does not know it or cannot be asked.</summary>
    public SlurmTaskInfo? Find(string taskId)
    {
        if (_client is null || UnavailableReason is not null) return null;
        try
        {
            _queue ??= _client.Queue();
            if (_queue.TryGetValue(taskId, out var queued)) return queued;
            var job = taskId.Split('_')[0];
            if (!_jobs.TryGetValue(job, out var tasks)) _jobs[job] = tasks = _client.ShowJob(job);
            return tasks.TryGetValue(taskId, out var info) ? info : null;
        }
        catch (Exception e) when (e is SlurmCommandException or SlurmUnavailableException)
        {
            UnavailableReason = e.Message;
            return null;
        }
    }
}
