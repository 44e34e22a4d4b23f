using DropActivation.Cli;
using DropActivation.Models.Registry;
using DropActivation.Training.Checkpoints;
using DropActivation.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary><c>dropact export --format onnx</c>: a checkpoint to a file ONNX Runtime runs like the model, and clear errors.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _dir = RealData.NewTempDir("dropact-onnx-cli");

    /// <summary>Removes the checkpoints and ONNX files (tens of MB on tmpfs for VGG).</summary>
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A checkpoint of <paramref name="model"/> with random weights (and random BatchNorm statistics), as <c>dropact train</c> writes one.</summary>
    private (string Path, ZooModel Model) Checkpoint(string model, string dataset, int classes, int channels, int size, string activation = "dropact")
    {
        torch.manual_seed(11);
        var options = new TrainOptions { Model = model, Dataset = dataset, Activation = activation, P = 0.9, Epochs = 1, BatchSize = 8, LearningRate = 0.1 };
        var header = new CheckpointHeader { Options = options, NumClasses = classes, InChannels = channels, ImageSize = size, Epoch = 1 };
        var net = ModelFactory.Create(options, classes, channels, size);
        ZooExportTests.RandomizeBatchNorm(net);
        var path = System.IO.Path.Combine(_dir, "checkpoint.dact");
        CheckpointFile.Save(path, header, net.state_dict(), new Dictionary<string, Tensor>(), null);
        net.eval();
        return (path, net);
    }

    [Fact]
    public void ExportedCheckpointRunsInOnnxRuntimeOnRawPixels()
    {
        var (ckpt, model) = Checkpoint("simple-cnn", "fashion-mnist", 10, 1, 28);
        using var _ = model;
        var onnxPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(ckpt)!, "out", "model.onnx");
        var (exit, output, err) = CliRunner.Run("export", "--checkpoint", ckpt, "--format", "onnx", "--out", onnxPath, "--include-normalization");
        Assert.True(exit == 0, err);
        Assert.Contains("[batch, 1, 28, 28], raw values 0..255", output);
        Assert.Contains("[batch, 10], logits", output);

        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));
        OnnxChecker.AssertValid(proto, OnnxExporter.DefaultOpset);
        // Raw 8-bit pixels in; the data set's normalisation (Fashion-MNIST: mean 0.2860, std 0.3530) happens in the graph.
        using var scope = torch.NewDisposeScope();
        var raw = torch.randint(0, 256, new long[] { 3, 1, 28, 28 }).to(ScalarType.Float32);
        Tensor expected;
        using (torch.no_grad()) expected = model.call((raw / 255f - 0.2860f) / 0.3530f);
        using var ort = new OnnxRuntimeRunner(proto);
        var metadata = ort.Session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("simple-cnn", metadata["dropact.model"]);
        Assert.Equal("fashion-mnist", metadata["dropact.dataset"]);
        Assert.Equal("0.9", metadata["dropact.p"]);
        Assert.StartsWith("raw values 0..255", metadata["dropact.input"]);
        Close.Assert1e4(ort.Run(raw), expected, "dropact export, batch 3");
        Close.Assert1e4(ort.Run(raw[..1]), expected[..1], "dropact export, batch 1");
    }

    [Fact]
    public void FixedBatchAndOpsetAreWritten()
    {
        var (ckpt, model) = Checkpoint("mlp-regression", "digits", 1, 1, 1, "rrelu");
        using var _ = model;
        var onnxPath = ckpt + ".onnx";
        var (exit, output, err) = CliRunner.Run("export", "--checkpoint", ckpt, "--format", "onnx", "--out", onnxPath, "--batch", "5", "--opset", "13");
        Assert.True(exit == 0, err);
        Assert.Contains("ONNX opset 13", output);
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));
        Assert.Equal(13, proto.OpsetImport.Single().Version);
        Assert.Equal(new long[] { 5, 1 }, proto.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        var x = torch.linspace(-2, 2, 5).view(5, 1);
        Tensor expected;
        using (torch.no_grad()) expected = model.call(x);
        using var ort = new OnnxRuntimeRunner(proto);
        Close.Assert1e4(ort.Run(x), expected, "mlp, batch 5");
    }

    [Fact]
    public void MissingCheckpointIsNamed()
    {
        var path = System.IO.Path.Combine(_dir, "none.dact");
        var (exit, _, err) = CliRunner.Run("export", "--checkpoint", path, "--format", "onnx", "--out", path + ".onnx");
        Assert.Equal(ExitCodes.RuntimeError, exit);
        Assert.Contains($"{path}: checkpoint not found", err);
    }

    [Fact]
    public void CorruptCheckpointIsNamed()
    {
        var path = System.IO.Path.Combine(_dir, "checkpoint.dact");
        File.WriteAllText(path, "garbage");
        var (exit, _, err) = CliRunner.Run("export", "--checkpoint", path, "--format", "onnx", "--out", path + ".onnx");
        Assert.Equal(ExitCodes.RuntimeError, exit);
        Assert.Contains(path, err);
        Assert.False(File.Exists(path + ".onnx"));
    }

    [Fact]
    public void CheckpointOfAnUnknownModelSaysSo()
    {
        var (ckpt, model) = Checkpoint("simple-cnn", "fashion-mnist", 10, 1, 28);
        model.Dispose();
        // The same file with a header naming a model this version does not have.
        using (var c = CheckpointFile.Load(ckpt))
        {
            var header = c.Header with { Options = c.Header.Options with { Model = "alexnet" } };
            CheckpointFile.Save(ckpt, header, c.Model, c.Optimizer, null);
        }
        var (exit, _, err) = CliRunner.Run("export", "--checkpoint", ckpt, "--format", "onnx", "--out", ckpt + ".onnx");
        Assert.Equal(ExitCodes.RuntimeError, exit);
        Assert.Contains("cannot be built by this version of dropact", err);
        Assert.Contains("Unknown model 'alexnet'", err);
    }

    [Fact]
    public void ModelOpsetCombinationThatCannotBeExpressedIsExplained()
    {
        var (ckpt, model) = Checkpoint("vgg11-bn", "cifar10", 10, 3, 32);
        model.Dispose();
        var (exit, _, err) = CliRunner.Run("export", "--checkpoint", ckpt, "--format", "onnx", "--out", ckpt + ".onnx", "--opset", "9");
        Assert.Equal(ExitCodes.RuntimeError, exit);
        Assert.Contains("vgg11-bn cannot be exported as ONNX opset 9", err);
        Assert.Contains("ceil_mode", err);
        Assert.Contains("opset 10", err);
        Assert.False(File.Exists(ckpt + ".onnx"));
    }

    [Theory]
    [InlineData("--batch", "0")]
    [InlineData("--batch", "many")]
    [InlineData("--opset", "30")]
    [InlineData("--format", "tflite")]
    public void BadOptionsAreUsageErrors(string option, string value)
    {
        var args = new List<string> { "export", "--checkpoint", "x.dact", "--format", "onnx", "--out", "x.onnx" };
        int i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value; else args.AddRange(new[] { option, value });
        var (exit, _, err) = CliRunner.Run(args.ToArray());
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains(value, err);
    }
}
