namespace DropActivation.Training.Tests;

public class CliTests
{
    [Theory]
    [InlineData("--model", "resnet-nope", "simple-cnn")]
    [InlineData("--dataset", "cifar11", "cifar100")]
    [InlineData("--act", "leaky", "rrelu")]
    [InlineData("--preset", "cifar-nope", "cifar-wrn-28")]
    [InlineData("--schedule", "linear", "cosine")]
    public void Unknown_names_exit_2_with_one_error_listing_the_valid_choices(string flag, string value, string listed)
    {
        var args = new Dictionary<string, string> { ["--model"] = "simple-cnn", ["--dataset"] = "mnist", [flag] = value };
        var (exit, _, err) = Run(new[] { "train", "--data", RealData.NewTempDir("dropact-training-tests") }.Concat(args.SelectMany(kv => new[] { kv.Key, kv.Value })).ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(listed, err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
    }

    [Fact]
    public void A_non_numeric_flag_value_is_a_usage_error()
    {
        var (exit, _, err) = Run("train", "--model", "simple-cnn", "--dataset", "mnist", "--data", ".", "--epochs", "many");
        Assert.Equal(2, exit);
        Assert.Contains("many", err);
    }

    [Fact]
    public void Missing_data_is_a_runtime_error_naming_the_folder()
    {
        var empty = RealData.NewTempDir("dropact-training-tests");
        var (exit, _, err) = Run("train", "--model", "simple-cnn", "--dataset", "mnist", "--data", empty, "--out", Path.Combine(empty, "run"));
        Assert.Equal(1, exit);
        Assert.Contains(empty, err);
    }

    [Fact]
    public void Presets_lists_every_recipe_with_its_values()
    {
        var (exit, output, _) = Run("presets");
        Assert.Equal(0, exit);
        Assert.Contains("cifar-wrn-28", output);
        Assert.Contains("80/120/160", output);
        Assert.Contains("svhn-densenet100", output);
        Assert.Equal(13, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Report_prints_the_table_and_writes_markdown_csv_and_png()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        ReportTests.Fixture(root, "relu", 1, 0.5, 0.08);
        ReportTests.Fixture(root, "relu", 2, 0.5, 0.10);
        ReportTests.Fixture(root, "rrelu", 1, 0.5, 0.12);
        var outDir = Path.Combine(root, "report");
        var (exit, output, err) = Run("report", root, "--out", outDir);
        Assert.True(exit == 0, err);
        Assert.Contains("9.00±1.41", output);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.True(File.Exists(Path.Combine(outDir, "report.csv")));
        Assert.True(File.Exists(Path.Combine(outDir, "training-curves-simple-cnn-mnist.png")));
    }

    [Fact]
    public void Report_metric_train_tabulates_the_last_epochs_training_error_and_an_unknown_metric_is_a_usage_error()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        ReportTests.Fixture(root, "relu", 1, 0.5, 0.08);   // training error of the last epoch: half the test error, 4 %
        ReportTests.Fixture(root, "relu", 2, 0.5, 0.10);   // 5 %
        ReportTests.Fixture(root, "rrelu", 1, 0.5, 0.12);  // 6 %
        ReportTests.Fixture(root, "rrelu", 2, 0.5, 0.16);  // 8 %
        var outDir = Path.Combine(root, "report-train");
        var (exit, output, err) = Run("report", root, "--metric", "train", "--out", outDir);
        Assert.True(exit == 0, err);
        Assert.Contains("| simple-cnn | **4.50±0.71** | 7.00±1.41 |", output);
        Assert.Contains("Training error (%), final epoch, mean ± sample std over 2 run(s) per cell.", output);
        Assert.Contains("| RReLU − Baseline | 2 | +2.50 ± 0.71 |", output);
        Assert.Contains("differences of the training error", output);
        Assert.StartsWith("model,dataset,activation,label,runs,mean_train_error_pct,std_train_error_pct,seeds,train_errors_pct\n",
            File.ReadAllText(Path.Combine(outDir, "report.csv")));

        (exit, _, err) = Run("report", root, "--metric", "lowest");
        Assert.Equal(2, exit);
        Assert.Contains("Unknown --metric 'lowest'. Valid: final, best, train.", err);
    }

    [Fact]
    public void Eval_of_a_corrupt_checkpoint_names_the_file()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        var path = Path.Combine(root, "checkpoint.dact");
        File.WriteAllText(path, "garbage");
        var (exit, _, err) = Run("eval", "--checkpoint", path, "--data", root);
        Assert.Equal(1, exit);
        Assert.Contains(path, err);
    }
}
