namespace DropActivation.Sweeps.Tests;

/// <summary>Where things are: the repository root (the folder holding DropActivation.slnx), the shared real data beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/data beside the repository root.</summary>
    public static string SharedData => RealData.Root;

    /// <summary>The shipped sweep specs.</summary>
    public static string SweepsFolder => Path.Combine(RepoRoot, "sweeps");

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "DropActivation.slnx"))) return d.FullName;
        // Built with --artifacts-path outside the tree: the source location recorded at build time.
        var recorded = typeof(TestPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "DropActivation.slnx"))) return recorded;
        throw new InvalidOperationException($"no DropActivation.slnx above {AppContext.BaseDirectory} or at {recorded}");
    }
}
