using System.Security.Cryptography;
using System.Text;
using DropActivation.Sweeps.Planning;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Specs;
using DropActivation.Sweeps.Status;

namespace DropActivation.Sweeps.Slurm;

/// <summary>
/// Submits what is left of a sweep as one Slurm job array: the runs that are pending or failed and not
/// already queued or running (so re-submitting after failures runs only those). It freezes the spec with
/// absolute paths (<c>.sweep/spec-HASH.json</c>, never rewritten, so indices of queued tasks keep their
/// meaning), writes the sbatch script under <c>.sweep/slurm/</c>, submits it and logs the submission.
/// </summary>
public static class SlurmSweepSubmitter
{
    /// <summary>Submits (or, with <paramref name="client"/> null, only writes the script of) the runs that need running; null when none does.</summary>
    /// <exception cref="SweepConflictException">Some run folders were made with other settings.</exception>
    /// <exception cref="SlurmCommandException">sbatch refused the script.</exception>
    public static SubmitResult? Submit(SweepPlan plan, IReadOnlyList<RunStatus> statuses, DropactLauncher launcher, SlurmResources resources, SlurmClient? client)
    {
        LocalSweepRunner.ThrowOnConflicts(statuses);
        var dataRoot = plan.RequireDataRoot();
        var todo = statuses.Where(s => s.NeedsRun).Select(s => s.Run).ToList();
        if (todo.Count == 0) return null;

        var frozenJson = SweepSpecWriter.ToJson(plan.Spec, dataRoot, plan.Root);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(frozenJson)))[..12];
        Directory.CreateDirectory(plan.StateFolder);
        var frozen = Path.Combine(plan.StateFolder, $"spec-{hash}.json");
        if (!File.Exists(frozen))
        {
            File.WriteAllText(frozen + ".tmp", frozenJson);
            File.Move(frozen + ".tmp", frozen, overwrite: true);
        }
        var logFolder = Path.Combine(plan.StateFolder, "slurm");
        Directory.CreateDirectory(logFolder);
        var script = Path.Combine(logFolder, $"submit-{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}.sbatch");
        File.WriteAllText(script, SbatchScript.Render(plan.Spec.Name, todo.Select(r => r.Index), launcher, frozen, logFolder, plan.Root, resources));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var tasks = todo.ToDictionary(r => r.Index, r => r.Id);
        if (client is null) return new SubmitResult(null, script, frozen, tasks);

        var jobId = client.Submit(script);
        SlurmSubmissionLog.Append(plan.StateFolder, new SlurmSubmission
        {
            JobId = jobId, Submitted = DateTime.UtcNow, Script = script, Tasks = tasks, LogFolder = logFolder,
        });
        return new SubmitResult(jobId, script, frozen, tasks);
    }
}
