using System.Text.Json;
using DropActivation.Cli;

namespace DropActivation.Analysis.Tests;

public class AnalysisCommandTests
{
    [Theory]
    [InlineData("sweep-p", "--data", "/nonexistent", "--dataset", "nope", "mnist")]
    [InlineData("sweep-p", "--data", "/nonexistent", "--p", "0.9,abc", "not a number")]
    [InlineData("sweep-p", "--data", "/nonexistent", "--p", "0.9,1.5", "[0, 1]")]
    [InlineData("shift-ratio", "--data", "/nonexistent", "--model", "nope", "simple-cnn")]
    [InlineData("shift-ratio", "--data", "/nonexistent", "--stage", "nope", "block1, block2, block3")]
    [InlineData("shift-ratio", "--data", "/nonexistent", "--act", "dropact,nope", "rrelu")]
    [InlineData("shift-ratio", "--data", "/nonexistent", "--dataset", "nope", "fashion-mnist")]
    [InlineData("timing", "--model", "nope", "--dataset", "mnist", "resnet164")]
    [InlineData("timing", "--dataset", "nope", "--model", "simple-cnn", "cifar10")]
    public void Bad_names_exit_2_listing_the_choices(string command, string o1, string v1, string o2, string v2, string expected)
    {
        var (code, _, err) = Run(command, o1, v1, o2, v2);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Missing_data_exits_1_with_one_message()
    {
        var (code, _, err) = Run("sweep-p", "--data", "/nonexistent-root", "--dataset", "mnist", "--runs", "1", "--epochs", "1", "--out", RealData.NewTempDir("dropact-experiments-tests"));
        Assert.Equal(ExitCodes.RuntimeError, code);
        Assert.Contains("/nonexistent-root", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Timing_prints_json_and_writes_the_figure()
    {
        var dir = RealData.NewTempDir("dropact-experiments-tests");
        var (code, output, err) = Run("timing", "--model", "simple-cnn", "--dataset", "mnist", "--batch-size", "4", "--repeats", "2", "--warmup", "0",
            "--threads", "1", "--out", dir, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(4, rows.GetArrayLength());
        Assert.Equal("relu", rows[0].GetProperty("variant").GetString());
        Assert.Equal(1.0, rows[0].GetProperty("ratioToRelu").GetDouble());
        Assert.True(File.Exists(Path.Combine(dir, "timing.json")));
        PngAssert.Figure(Path.Combine(dir, "timing.png"));
    }

    [RealDataFact("mnist/train-images-idx3-ubyte.gz")]
    public void Sweep_p_prints_a_table_and_writes_its_files()
    {
        var dir = RealData.NewTempDir("dropact-experiments-tests");
        var (code, output, err) = Run("sweep-p", "--data", RealData.Root, "--dataset", "mnist", "--p", "0.8,1", "--runs", "2", "--epochs", "1",
            "--train-subset", "200", "--batch-size", "32", "--threads", "1", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("Drop-Activation", output);
        Assert.Contains("ReLU", output);
        Assert.Contains("Lowest mean validation error at p = ", output);
        foreach (var f in new[] { "p-sweep.csv", "p-sweep-runs.csv", "p-sweep.json" }) Assert.True(File.Exists(Path.Combine(dir, f)), f);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "p-sweep.json")));
        Assert.Equal(2, doc.RootElement.GetProperty("points").GetArrayLength());
        PngAssert.Figure(Path.Combine(dir, "p-sweep.png"));
    }

    [RealDataFact("mnist/train-images-idx3-ubyte.gz")]
    public void Shift_ratio_writes_csv_png_and_json()
    {
        var dir = RealData.NewTempDir("dropact-experiments-tests");
        var (code, output, err) = Run("shift-ratio", "--data", RealData.Root, "--dataset", "mnist", "--epochs", "1", "--train-subset", "200",
            "--probe-images", "32", "--batch-size", "32", "--threads", "1", "--out", dir, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("block2", doc.RootElement.GetProperty("stage").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "shift-ratio.csv")).Length);
        PngAssert.Figure(Path.Combine(dir, "shift-ratio.png"));
    }
}
