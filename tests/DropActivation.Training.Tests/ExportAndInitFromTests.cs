namespace DropActivation.Training.Tests;

/// <summary><c>dropact export --format pytorch|safetensors</c> and <c>dropact train --init-from</c>, end to end on real data.</summary>
public class ExportAndInitFromTests
{
    private static string[] Train(string outDir, params string[] extra) => TrainModel("simple-cnn", outDir, extra);

    private static string[] TrainModel(string model, string outDir, params string[] extra) => new[]
    {
        "train", "--model", model, "--dataset", "fashion-mnist", "--data", RealData.Root, "--epochs", "1",
        "--batch-size", "64", "--train-subset", "256", "--test-subset", "64", "--threads", "1", "--out", outDir,
    }.Concat(extra).ToArray();

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void Exported_weights_start_a_new_run_and_a_misfit_names_its_keys()
    {
        var dir = RealData.NewTempDir("dropact-export-tests");
        var first = Path.Combine(dir, "first");
        Assert.Equal(0, Run(Train(first)).Exit);

        foreach (var (format, file) in new[] { ("pytorch", "w.pt"), ("safetensors", "w.safetensors") })
        {
            var weights = Path.Combine(dir, file);
            var (exit, stdout, stderr) = Run("export", "--checkpoint", new RunFolder(first).Checkpoint, "--format", format, "--out", weights);
            Assert.True(exit == 0, stderr);
            Assert.Contains($"wrote {weights}: 25 tensors of simple-cnn", stdout);
            Assert.Contains("activation in PyTorch: LeakyReLU(negative_slope=0.05) in place of ReLU at the 4 folded positions", stdout);

            // A new run from those weights: its checkpoint before the first epoch holds exactly them.
            var second = Path.Combine(dir, "from-" + format);
            (exit, _, stderr) = Run(Train(second, "--init-from", weights, "--seed", "99", "--stop-after", "0"));
            Assert.True(exit == 0, stderr);
            using var a = CheckpointFile.Load(new RunFolder(first).Checkpoint);
            using var b = CheckpointFile.Load(new RunFolder(second).Checkpoint);
            Assert.Equal(0, b.Header.Epoch);
            Assert.Equal(Path.GetFullPath(weights), b.Header.Options.InitFrom);
            Assert.All(a.Model, kv => Assert.True(Same.Tensors(kv.Value, b.Model[kv.Key]), kv.Key));
        }

        // Weights of another architecture: one error that names the misfits, exit code 1.
        var (code, _, err) = Run(TrainModel("resnet-20", Path.Combine(dir, "misfit"), "--init-from", Path.Combine(dir, "w.pt")));
        Assert.Equal(1, code);
        foreach (var part in new[] { "the weights do not fit the model", "missing keys", "unexpected keys", "block1.conv.weight", "layer1.0.conv1.weight" })
            Assert.Contains(part, err);
    }

    [Fact]
    public void Usage_errors_are_clear()
    {
        var dir = RealData.NewTempDir("dropact-export-tests");
        var (exit, _, err) = Run("export", "--checkpoint", Path.Combine(dir, "none.dact"), "--format", "keras", "--out", Path.Combine(dir, "x"));
        Assert.Equal(2, exit);
        Assert.Contains("Unknown export format 'keras'. Valid: onnx, pytorch, safetensors", err);
        (exit, _, err) = Run("export", "--checkpoint", Path.Combine(dir, "none.dact"), "--format", "pytorch", "--out", Path.Combine(dir, "x.pt"));
        Assert.Equal(1, exit);
        Assert.Contains("none.dact", err);
        (exit, _, err) = Run("train", "--model", "simple-cnn", "--dataset", "mnist", "--data", dir, "--init-from", Path.Combine(dir, "absent.pt"));
        Assert.Equal(1, exit);
        Assert.Contains("absent.pt", err);
        (exit, _, err) = Run("train", "--resume", dir, "--data", dir, "--init-from", Path.Combine(dir, "absent.pt"));
        Assert.Equal(2, exit);
        Assert.Contains("--init-from starts a new run", err);
    }
}
