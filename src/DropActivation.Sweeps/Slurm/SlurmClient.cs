using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DropActivation.Sweeps.Slurm;

/// <summary>
/// The Slurm commands a sweep uses, run as child processes with the caller's environment (so
/// <c>SLURM_CONF</c> and the user's cluster settings apply): <c>sbatch --parsable</c> to submit,
/// <c>squeue</c> for pending and running array tasks, <c>scontrol show job</c> for finished ones
/// (<c>sacct</c> is avoided: it needs an accounting database many clusters lack), <c>scontrol ping</c>
/// to tell an unreachable controller from an empty queue.
/// </summary>
public sealed partial class SlurmClient
{
    private static readonly string[] Tools = ["sbatch", "squeue", "scontrol"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyDictionary<string, string> _tools;

    private SlurmClient(IReadOnlyDictionary<string, string> tools) => _tools = tools;

    /// <summary>
    /// Finds sbatch, squeue and scontrol on <paramref name="searchPath"/> (default: PATH).
    /// </summary>
    /// <exception cref="SlurmUnavailableException">Any of them is missing (the message names which and where it looked).</exception>
    public static SlurmClient Locate(string? searchPath = null)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        var dirs = searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var found = new Dictionary<string, string>();
        var missing = new List<string>();
        foreach (var tool in Tools)
        {
            var hit = dirs.Select(d => Path.Combine(d, tool)).FirstOrDefault(IsExecutable);
            if (hit is null) missing.Add(tool); else found[tool] = hit;
        }
        if (missing.Count > 0)
            throw new SlurmUnavailableException(
                $"Slurm is not installed here: {string.Join(", ", missing)} not found on PATH ({(dirs.Length == 0 ? "empty" : string.Join(Path.PathSeparator, dirs))}). " +
                "Submit from a login node of a Slurm cluster (or install the Slurm client: Debian/Ubuntu 'apt-get install slurm-client'), " +
                "or run the sweep on this machine with 'dropact sweep run SPEC --jobs N'.");
        return new SlurmClient(found);
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    /// <summary>Checks that the controller answers (<c>scontrol ping</c>).</summary>
    /// <exception cref="SlurmUnavailableException">It does not; the message holds what scontrol said and the SLURM_CONF in use.</exception>
    public void EnsureReachable()
    {
        var (exit, stdout, stderr) = Exec("scontrol", ["ping"]);
        var said = (stdout + " " + stderr).Trim();
        if (exit == 0 && said.Contains("is UP", StringComparison.Ordinal)) return;
        var conf = Environment.GetEnvironmentVariable("SLURM_CONF");
        throw new SlurmUnavailableException(
            $"the Slurm controller (slurmctld) is not reachable: 'scontrol ping' said: {(said.Length == 0 ? $"nothing (exit code {exit})" : OneLine(said))}. " +
            $"Configuration: {(string.IsNullOrEmpty(conf) ? "the default slurm.conf (SLURM_CONF is not set)" : "SLURM_CONF=" + conf)}. " +
            "Check that slurmctld runs and that this machine can reach it (and munged runs here).");
    }

    /// <summary>Submits <paramref name="script"/> (<c>sbatch --parsable</c>) and returns the job id.</summary>
    /// <exception cref="SlurmCommandException">sbatch refused it (the message holds sbatch's words).</exception>
    public string Submit(string script)
    {
        var (exit, stdout, stderr) = Exec("sbatch", ["--parsable", script]);
        var id = stdout.Trim().Split('\n').LastOrDefault()?.Split(';')[0].Trim();
        if (exit != 0 || string.IsNullOrEmpty(id) || !id.All(char.IsAsciiDigit))
            throw new SlurmCommandException($"sbatch refused {script} (exit code {exit}): {OneLine((stderr + " " + stdout).Trim())}");
        return id;
    }

    /// <summary>
    /// Puts task "JOBID_INDEX" (or a job) back in the queue (<c>scontrol requeue</c>); a running task is ended by Slurm
    /// at once, so call it last. Slurm starts it again after its requeue delay with SLURM_RESTART_COUNT one higher.
    /// </summary>
    /// <exception cref="SlurmCommandException">scontrol refused.</exception>
    public void Requeue(string taskId)
    {
        var (exit, _, stderr) = Exec("scontrol", ["requeue", taskId]);
        if (exit != 0) throw new SlurmCommandException($"scontrol requeue {taskId} failed (exit code {exit}): {OneLine(stderr)}");
    }

    /// <summary>This user's pending and running array tasks, one per task ("JOBID_INDEX" → info).</summary>
    /// <exception cref="SlurmCommandException">squeue failed.</exception>
    public IReadOnlyDictionary<string, SlurmTaskInfo> Queue()
    {
        var (exit, stdout, stderr) = Exec("squeue", ["--noheader", "--array", "--user", Environment.UserName, "--format", "%i|%T|%r"]);
        if (exit != 0) throw new SlurmCommandException($"squeue failed (exit code {exit}): {OneLine(stderr)}");
        return ParseQueue(stdout);
    }

    /// <summary>Parses squeue's <c>%i|%T|%r</c> lines (pending ranges such as "12_[3-5]" are expanded).</summary>
    internal static IReadOnlyDictionary<string, SlurmTaskInfo> ParseQueue(string text)
    {
        var result = new Dictionary<string, SlurmTaskInfo>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length < 2) continue;
            var reason = parts.Length > 2 && parts[2] is not ("None" or "") ? parts[2] : null;
            foreach (var id in ExpandTaskIds(parts[0])) result[id] = new SlurmTaskInfo(id, parts[1], null, reason);
        }
        return result;
    }

    private static IEnumerable<string> ExpandTaskIds(string id)
    {
        int us = id.IndexOf('_');
        if (us < 0) return [id];
        var job = id[..us];
        var rest = id[(us + 1)..];
        if (!rest.Contains('[') && !rest.Contains('-') && !rest.Contains(',')) return [id];
        return ArrayIndices.Parse(rest).Select(i => $"{job}_{i}");
    }

    /// <summary>
    /// Every task of array job <paramref name="jobId"/> that the controller still remembers (<c>scontrol -o show job</c>),
    /// finished ones with state and exit code; empty when the job is unknown (purged after MinJobAge).
    /// </summary>
    /// <exception cref="SlurmCommandException">scontrol failed for another reason.</exception>
    public IReadOnlyDictionary<string, SlurmTaskInfo> ShowJob(string jobId)
    {
        var (exit, stdout, stderr) = Exec("scontrol", ["--oneliner", "show", "job", jobId]);
        if (exit != 0)
        {
            if (stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return new Dictionary<string, SlurmTaskInfo>();
            throw new SlurmCommandException($"scontrol show job {jobId} failed (exit code {exit}): {OneLine(stderr)}");
        }
        return ParseShowJob(stdout);
    }

    /// <summary>Parses <c>scontrol -o show job</c> output: one line per job record.</summary>
    internal static IReadOnlyDictionary<string, SlurmTaskInfo> ParseShowJob(string text)
    {
        var result = new Dictionary<string, SlurmTaskInfo>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match m in FieldPattern().Matches(line)) fields.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
            if (!fields.TryGetValue("JobState", out var state)) continue;
            fields.TryGetValue("ExitCode", out var exitCode);
            fields.TryGetValue("Reason", out var reason);
            if (reason is "None") reason = null;
            if (fields.TryGetValue("ArrayJobId", out var arrayJob) && fields.TryGetValue("ArrayTaskId", out var taskIds))
            {
                foreach (var i in ArrayIndices.Parse(taskIds)) result[$"{arrayJob}_{i}"] = new SlurmTaskInfo($"{arrayJob}_{i}", state, exitCode, reason);
            }
            else if (fields.TryGetValue("JobId", out var job))
            {
                result[job] = new SlurmTaskInfo(job, state, exitCode, reason);
            }
        }
        return result;
    }

    private (int Exit, string Stdout, string Stderr) Exec(string tool, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(_tools[tool]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new SlurmUnavailableException($"cannot start {_tools[tool]}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new SlurmUnavailableException($"'{tool} {string.Join(' ', args)}' did not answer within {Timeout.TotalSeconds:F0} s: the Slurm controller is not reachable");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string OneLine(string s) => WhitespacePattern().Replace(s, " ").Trim();

    [GeneratedRegex(@"(\w+)=(\S*)")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
