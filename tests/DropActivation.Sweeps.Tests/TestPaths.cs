namespace DropActivation.Sweeps.Tests;

/// <summary>Where things are: the repository root (the folder holding DropActivation.slnx), the shared real data beside it.</summary>
internal static class TestPaths
{
    /// <summary>Found by <see cref="RealData.RepoRoot"/>: above the test binaries, or above the sources when built with --artifacts-path.</summary>
    public static string RepoRoot => RealData.RepoRoot;

    /// <summary>../shared/data beside the repository root.</summary>
    public static string SharedData => RealData.Root;

    /// <summary>The shipped sweep specs.</summary>
    public static string SweepsFolder => Path.Combine(RepoRoot, "sweeps");
}
