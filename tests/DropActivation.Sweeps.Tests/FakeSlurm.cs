namespace DropActivation.Sweeps.Tests;

/// <summary>
/// Stand-ins for sbatch, squeue and scontrol (shell scripts in a folder) that answer from files the test
/// writes: queue.txt (squeue's lines), job-ID.txt (scontrol show job), ping.txt (scontrol ping's answer,
/// exit code in ping-exit). sbatch answers job id 42 and copies the script it got to submitted.sbatch; scontrol requeue
/// appends the task it got to requeued.txt.
/// </summary>
internal sealed class FakeSlurm
{
    public FakeSlurm(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        Write("sbatch", $"""
            #!/bin/sh
            for last; do :; done
            cp "$last" "{folder}/submitted.sbatch"
            echo 42
            """);
        Write("squeue", $"""
            #!/bin/sh
            cat "{folder}/queue.txt" 2>/dev/null
            exit 0
            """);
        Write("scontrol", $"""
            #!/bin/sh
            if [ "$1" = ping ]; then cat "{folder}/ping.txt"; exit "$(cat "{folder}/ping-exit" 2>/dev/null || echo 0)"; fi
            if [ "$1" = requeue ]; then echo "$2" >> "{folder}/requeued.txt"; exit 0; fi
            for last; do :; done
            if [ -f "{folder}/job-$last.txt" ]; then cat "{folder}/job-$last.txt"; exit 0; fi
            echo "slurm_load_jobs error: Invalid job id specified" >&2
            exit 1
            """);
        Ping("Slurmctld(primary) at fake is UP", 0);
    }

    public string Folder { get; }

    public void Queue(string lines) => File.WriteAllText(Path.Combine(Folder, "queue.txt"), lines);

    public void Job(string id, string lines) => File.WriteAllText(Path.Combine(Folder, $"job-{id}.txt"), lines);

    public void Ping(string answer, int exit)
    {
        File.WriteAllText(Path.Combine(Folder, "ping.txt"), answer + "\n");
        File.WriteAllText(Path.Combine(Folder, "ping-exit"), exit.ToString());
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
