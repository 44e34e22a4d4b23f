namespace DropActivation.Sweeps.Tests;

/// <summary>
/// The single-node Slurm test cluster that .ci/slurm-up.sh starts: found through its state file
/// ($DROPACT_SLURM_DIR/env, default /tmp/dropact-slurm/env) or, failing that, SLURM_CONF.
/// </summary>
internal static class SlurmTestCluster
{
    /// <summary>The test collection of every class that submits to the cluster: one at a time, so tasks never wait for each other's CPUs.</summary>
    public const string Collection = "slurm test cluster";

    public static string StateFile => Path.Combine(Environment.GetEnvironmentVariable("DROPACT_SLURM_DIR") ?? "/tmp/dropact-slurm", "env");

    /// <summary>The slurm.conf of the cluster, or null when none is up.</summary>
    public static string? Conf { get; } = Find();

    /// <summary>Why there is no cluster (for skips and failures).</summary>
    public static string Missing =>
        $"no Slurm test cluster: {StateFile} not found and SLURM_CONF not set; start one with .ci/slurm-up.sh (stop it with .ci/slurm-down.sh)";

    /// <summary>Points this process (and so every child: sbatch, dropact) at the cluster.</summary>
    public static void Use()
    {
        if (Conf is null) Assert.Fail(Missing);
        Environment.SetEnvironmentVariable("SLURM_CONF", Conf);
    }

    private static string? Find()
    {
        if (File.Exists(StateFile))
            foreach (var line in File.ReadAllLines(StateFile))
                if (line.StartsWith("SLURM_CONF=", StringComparison.Ordinal) && File.Exists(line["SLURM_CONF=".Length..]))
                    return line["SLURM_CONF=".Length..];
        var conf = Environment.GetEnvironmentVariable("SLURM_CONF");
        return conf is not null && File.Exists(conf) ? conf : null;
    }
}
