using DropActivation.Models.Registry;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>What cannot be exported fails with a message that says what and why; the checker itself rejects a broken graph.</summary>
public sealed class ExportErrorTests
{
    private static OnnxExportOptions Cifar(int opset = OnnxExporter.DefaultOpset) => new() { InputShape = new long[] { 3, 16, 16 }, Opset = opset };

    [Theory]
    [InlineData(6)]
    [InlineData(22)]
    public void OpsetsOutsideTheWrittenRangeAreRefused(int opset)
    {
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, 16));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, Cifar(opset)));
        Assert.Contains($"Opset {opset}", e.Message);
        Assert.Contains($"{OnnxExporter.MinOpset} to {OnnxExporter.MaxOpset}", e.Message);
    }

    [Fact]
    public void CeilModePoolingBelowOpset10NamesTheLayerAndTheOpset()
    {
        using var model = ModelRegistry.Create("vgg19-bn", new ModelConfig(10, 3, 16));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, Cifar(9)));
        Assert.Contains("stage1.pool", e.Message);
        Assert.Contains("ceil_mode", e.Message);
        Assert.Contains("opset 10", e.Message);
        // Opset 10 expresses it.
        Assert.NotNull(OnnxExporter.Export(model, Cifar(10)));
    }

    [Fact]
    public void GeluBelowOpset9IsRefused()
    {
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, 16) { Activation = ActivationFactory.FromName("dropact-gelu", 0.9) });
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, Cifar(8)));
        Assert.Contains("GELU", e.Message);
        Assert.Contains("opset 9", e.Message);
    }

    [Fact]
    public void CustomActivationHasNoOnnxForm()
    {
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, 16) { Activation = () => DA.DropAct("square", x => x * x, 0.9) });
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, Cifar()));
        Assert.Contains("'square' is a custom function", e.Message);
    }

    [Fact]
    public void ModuleWithoutExportIsNamedByItsPath()
    {
        using var model = nn.Sequential(("body", nn.Sequential(("fc", nn.Linear(4, 4)), ("act", nn.Softplus()))));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 4 } }));
        Assert.Contains("'body.act' is a Softplus", e.Message);
        Assert.Contains(nameof(IOnnxExportable), e.Message);
    }

    [Fact]
    public void InputShapeTheModelDoesNotTakeIsRefused()
    {
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, 16));
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 32, 32 } }));
        Assert.Contains("does not accept inputs of shape [3, 32, 32]", e.Message);
    }

    [Fact]
    public void NormalizationNeedsImageInputsWithMatchingChannels()
    {
        using var mlp = ModelRegistry.Create("mlp-regression", new ModelConfig(1, 1, 1));
        var norm = new InputNormalization(new[] { 0.5f }, new[] { 0.25f }, 255);
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(mlp, new OnnxExportOptions { InputShape = new long[] { 1 }, Normalization = norm }));
        using var cnn = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, 16));
        var two = new InputNormalization(new[] { 0.5f, 0.5f }, new[] { 0.25f, 0.25f }, 255);
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(cnn, new OnnxExportOptions { InputShape = new long[] { 3, 16, 16 }, Normalization = two }));
        Assert.Contains("2 channel(s)", e.Message);
    }

    [OnnxCheckerFact]
    public void CheckerRejectsABrokenGraph()
    {
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, 8));
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 } });
        Assert.Equal(0, OnnxChecker.Check(proto).Exit);
        // A node reading a tensor nothing produces: the checker must say so.
        proto.Graph.Node[0].Input[0] = "nowhere";
        var (exit, output) = OnnxChecker.Check(proto);
        Assert.NotEqual(0, exit);
        Assert.Contains("nowhere", output);
    }
}
