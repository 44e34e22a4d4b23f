using System.Runtime.CompilerServices;

namespace DropActivation.Cli.Tests;

/// <summary>The shared real data (../shared/data beside the repository root).</summary>
internal static class SharedData
{
    private static readonly Lazy<string> Dir = new(() => Find());

    public static string Root => Dir.Value;

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string Find([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(source) ?? "." })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(System.IO.Path.Combine(d.FullName, "DropActivation.slnx")))
                    return System.IO.Path.GetFullPath(System.IO.Path.Combine(d.FullName, "..", "shared", "data"));
        return "/nonexistent-shared-data";
    }
}

/// <summary>A fact that needs shared real data: skipped with a reason when it is missing, failing under CI=true.</summary>
internal sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] relativePaths)
    {
        var missing = relativePaths.Where(p => !File.Exists(SharedData.Path(p)) && !Directory.Exists(SharedData.Path(p))).ToArray();
        if (missing.Length > 0 && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"real data not found: {string.Join(", ", missing.Select(SharedData.Path))} (set CI=true to make this a failure)";
    }
}
