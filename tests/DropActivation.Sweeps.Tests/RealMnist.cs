namespace DropActivation.Sweeps.Tests;

/// <summary>The real MNIST in ../shared/data that tiny real runs train on.</summary>
internal static class RealMnist
{
    private static readonly string[] Files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    public static bool Available => Files.All(f => File.Exists(Path.Combine(TestPaths.SharedData, "mnist", f)));

    public static string Missing => $"the real MNIST is not in {Path.Combine(TestPaths.SharedData, "mnist")}";

    public static void Require()
    {
        if (!Available) Assert.Fail(Missing);
    }
}
