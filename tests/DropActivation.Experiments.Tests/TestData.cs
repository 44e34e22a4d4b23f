using System.Runtime.CompilerServices;

namespace DropActivation.Experiments.Tests;

/// <summary>Locates the shared real data (../shared/data beside the repository root) and makes temporary folders.</summary>
internal static class TestData
{
    private static readonly Lazy<string?> SharedDir = new(FindShared);

    public static string? SharedDataDir => SharedDir.Value;

    public static string Root => SharedDataDir ?? "/nonexistent-shared-data";

    public static string Shared(string relative) => Path.Combine(Root, relative);

    private static string? FindShared()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, SourceDir() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "DropActivation.slnx")))
                    return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "data"));
        }
        return null;
    }

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dropact-experiments-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>
/// A fact that needs files of the shared real data. When they are missing the test is skipped with
/// the reason, except under CI=true, where it runs and fails on the missing file.
/// </summary>
internal sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] relativePaths)
    {
        var missing = relativePaths.Where(p => !File.Exists(TestData.Shared(p)) && !Directory.Exists(TestData.Shared(p))).ToArray();
        if (missing.Length > 0 && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"real data not found: {string.Join(", ", missing.Select(TestData.Shared))} (set CI=true to make this a failure)";
    }
}
