using System.Runtime.CompilerServices;

namespace DropActivation.TestSupport;

/// <summary>
/// The shared real data beside the repository (../shared/data next to the folder holding
/// DropActivation.slnx) and temporary folders, for every test project (compiled into each).
/// </summary>
internal static class RealData
{
    private static readonly Lazy<string?> Repo = new(() => FindRepoRoot());

    /// <summary>The repository root (the folder holding DropActivation.slnx).</summary>
    public static string RepoRoot => Repo.Value ?? throw new InvalidOperationException($"no DropActivation.slnx above {AppContext.BaseDirectory}");

    /// <summary>The shared data folder; a path that does not exist when the repository is not found.</summary>
    public static string Root => Repo.Value is { } repo ? System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "data")) : "/nonexistent-shared-data";

    /// <summary>A file or folder of the shared data.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>The relative paths that are missing from the shared data.</summary>
    public static string[] Missing(params string[] relativePaths) =>
        relativePaths.Where(p => !File.Exists(Path(p)) && !Directory.Exists(Path(p))).ToArray();

    /// <summary>A new empty temporary folder (on tmpfs where there is one: unpacking thousands of files is 50x faster there).</summary>
    public static string NewTempDir(string prefix = "dropact-tests")
    {
        var baseDir = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        var dir = System.IO.Path.Combine(baseDir, prefix, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string? FindRepoRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, System.IO.Path.GetDirectoryName(source) ?? "." })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(System.IO.Path.Combine(d.FullName, "DropActivation.slnx")))
                    return d.FullName;
        return null;
    }
}

/// <summary>
/// A fact that needs files of the shared real data. When they are missing the test is skipped with
/// the reason, except under CI=true, where it runs and fails on the missing file.
/// </summary>
internal sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] relativePaths) => Skip = SkipReason(relativePaths);

    /// <summary>Why a test of these files is skipped here, or null when it runs.</summary>
    internal static string? SkipReason(string[] relativePaths)
    {
        var missing = RealData.Missing(relativePaths);
        return missing.Length > 0 && Environment.GetEnvironmentVariable("CI") != "true"
            ? $"real data not found: {string.Join(", ", missing.Select(RealData.Path))} (set CI=true to make this a failure)"
            : null;
    }
}

/// <summary>A theory that needs files of the shared real data (skipped as <see cref="RealDataFactAttribute"/> is).</summary>
internal sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute(params string[] relativePaths) => Skip = RealDataFactAttribute.SkipReason(relativePaths);
}
