using System.Runtime.CompilerServices;

namespace DropActivation.Training.Tests;

/// <summary>The shared real data (../shared/data beside the folder holding DropActivation.slnx) and scratch folders.</summary>
internal static class RealData
{
    private static readonly Lazy<string?> Dir = new(Find);

    /// <summary>The data root, or a path that does not exist when the repository root cannot be found.</summary>
    public static string Root => Dir.Value ?? "/nonexistent/shared/data";

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dropact-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string? Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Here() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "DropActivation.slnx")))
                    return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "data"));
        return null;
    }

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}

/// <summary>A fact needing Fashion-MNIST from the shared data: skipped with the reason when it is missing, failing under CI=true.</summary>
internal sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        var file = Path.Combine(RealData.Root, "fashion-mnist", "train-images-idx3-ubyte.gz");
        if (!File.Exists(file) && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"real data not found: {file} (set CI=true to make this a failure)";
    }
}
