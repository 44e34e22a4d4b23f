namespace DropActivation.Training.Tests;

/// <summary><c>dropact report</c> prints the paired differences against the baseline and draws the p-curve of a p-sweep.</summary>
public class ReportComparisonTests
{
    [Fact]
    public void Report_prints_paired_differences_with_intervals_and_writes_them_as_csv()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        // Final test errors (fractions): the same example as the Analysis tests, in percent 7.00/7.40/6.80 vs 6.50/7.10/6.60.
        foreach (var (act, errors) in new[] { ("relu", new[] { 0.0700, 0.0740, 0.0680 }), ("dropact", new[] { 0.0650, 0.0710, 0.0660 }) })
            for (int s = 0; s < 3; s++)
                ReportTests.Fixture(root, act, s + 1, 0.5, errors[s]);
        var outDir = Path.Combine(root, "report");
        var (exit, output, err) = Run("report", root, "--out", outDir);
        Assert.True(exit == 0, err);
        Assert.Contains("| simple-cnn | mnist | Drop-Act − Baseline | 3 | -0.33 ± 0.15 | [-0.71, +0.05] | no | 0.47 | 4 |", output);
        Assert.Contains("Drop-Act − Baseline", File.ReadAllText(Path.Combine(outDir, "report.md")));
        Assert.Contains("Test error (%), final epoch", output);
        var csv = File.ReadAllLines(Path.Combine(outDir, "paired-differences.csv"));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("simple-cnn,mnist,Drop-Act,Baseline,3,-0.3333,0.1528,4.3027,-0.7128,0.0461,false,0.473,4,1;2;3", csv[1]);
    }

    [Fact]
    public void A_p_sweep_gets_a_p_curve_with_p_1_as_the_baseline()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        foreach (var (p, errors) in new[] { (0.9, new[] { 0.10, 0.12 }), (0.95, new[] { 0.09, 0.10 }), (1.0, new[] { 0.11, 0.13 }) })
            for (int s = 0; s < 2; s++)
                ReportTests.Fixture(Path.Combine(root, $"p{p}", $"seed-{s}"), new TrainOptions
                {
                    Model = "simple-cnn", Dataset = "cifar10", Activation = "dropact", P = p, Epochs = 1, BatchSize = 64, LearningRate = 0.1,
                    Seed = s, ValidationSplit = 0.1, Augment = false,
                }, errors[s]);
        var outDir = Path.Combine(root, "report");
        var (exit, output, err) = Run("report", root, "--out", outDir);
        Assert.True(exit == 0, err);
        Assert.Contains("Drop-Act p=0.9 − Drop-Act p=1", output);
        Assert.Contains("Validation error (%), final epoch", output);         // the runs held out 10% of the training set
        Assert.Contains("differences of the validation error", output);
        Assert.Contains("Drop-Act − Drop-Act p=1", output);
        var png = Path.Combine(outDir, "p-curve-simple-cnn-cifar10.png");
        Assert.True(File.Exists(png) && new FileInfo(png).Length > 1000);
    }

    [Fact]
    public void Runs_of_one_seed_start_from_the_same_weights_whatever_the_activation()
    {
        // What pairing by seed relies on: the trainer seeds torch, then builds the model; the activation has no weights
        // and draws no random numbers while the model is built.
        float[] Weights(string act)
        {
            var o = new TrainOptions { Model = "resnet-20", Dataset = "cifar10", Activation = act, Epochs = 1, BatchSize = 8, LearningRate = 0.1, Seed = 11 };
            TorchSharp.torch.manual_seed(o.Seed);
            using var model = ModelFactory.Create(o, 10, 3, 32);
            return model.parameters().SelectMany(t => t.data<float>().ToArray()).ToArray();
        }
        var relu = Weights("relu");
        Assert.Equal(relu, Weights("rrelu"));
        Assert.Equal(relu, Weights("dropact"));
    }
}
