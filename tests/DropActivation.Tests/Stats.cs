namespace DropActivation.Tests;

/// <summary>Small statistical helpers with explicit tolerances.</summary>
internal static class Stats
{
    /// <summary>Asserts that a measured Bernoulli frequency is within k standard errors of q.</summary>
    public static void FrequencyWithin(double measured, double q, long n, double sigmas, string what)
    {
        double se = Math.Sqrt(q * (1 - q) / n);
        double z = Math.Abs(measured - q) / Math.Max(se, 1e-300);
        Assert.True(z <= sigmas, $"{what}: measured {measured:F6}, expected {q:F6} ± {sigmas}σ (σ = {se:E3}, n = {n}); off by {z:F2}σ");
    }
}

/// <summary>Exact tensor comparison (same shape, every element equal).</summary>
internal static class TensorCompare
{
    public static bool Same(this TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        if (a.numel() == 0) return true;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }
}
