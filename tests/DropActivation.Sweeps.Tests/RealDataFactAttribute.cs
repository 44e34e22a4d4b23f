namespace DropActivation.Sweeps.Tests;

/// <summary>A test that trains tiny real runs on ../shared/data's MNIST: skipped when it is missing, failing under CI (CI=true).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) return;
        if (!RealMnist.Available) Skip = RealMnist.Missing;
    }
}
