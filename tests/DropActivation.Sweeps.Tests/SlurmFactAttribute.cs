namespace DropActivation.Sweeps.Tests;

/// <summary>
/// A test that needs the Slurm test cluster (and the real MNIST in ../shared/data): skipped with the reason
/// when it is not up, except under CI (CI=true), where the test runs and fails saying what is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) return;
        if (SlurmTestCluster.Conf is null) Skip = SlurmTestCluster.Missing;
        else if (!RealMnist.Available) Skip = RealMnist.Missing;
    }
}
