using DropActivation.Models.Registry;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>
/// Every activation the zoo can be built with, in the simple CNN: the evaluation form (Drop-Activation
/// around each f averaged, RReLU with the mean slope 11/48) in ONNX Runtime equals TorchSharp's, unfolded
/// and folded; and the exporter's opsets, fixed batch and input normalisation.
/// </summary>
public sealed class ActivationExportTests
{
    public static TheoryData<string> ActivationNames() => new(ActivationFactory.Names);

    private static (ZooModel Model, Tensor Input, Tensor Expected) SimpleCnn(string activation, double p = 0.7, int size = 8, int batch = 3)
    {
        torch.manual_seed(5);
        var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 3, size) { Activation = ActivationFactory.FromName(activation, p) });
        ZooExportTests.RandomizeBatchNorm(model);
        model.eval();
        var x = torch.randn(batch, 3, size, size);
        using var noGrad = torch.no_grad();
        return (model, x, model.call(x));
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void EveryActivationExportsItsEvaluationForm(string activation)
    {
        var (model, x, expected) = SimpleCnn(activation);
        using var _ = model;
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 } });
        OnnxChecker.AssertValid(proto, OnnxExporter.DefaultOpset);
        using (var ort = new OnnxRuntimeRunner(proto)) Close.Assert1e4(ort.Run(x), expected, activation);

        model.Fold();
        var folded = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 } });
        using var foldedOrt = new OnnxRuntimeRunner(folded);
        Close.Assert1e4(foldedOrt.Run(x), expected, $"{activation} folded");
    }

    [Fact]
    public void RReLUExportsAsLeakyReluWithSlope11Over48()
    {
        var (model, _, _) = SimpleCnn("rrelu");
        using var _m = model;
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 } });
        var slopes = proto.Graph.Node.Where(n => n.OpType == "LeakyRelu").Select(n => n.Attribute.Single(a => a.Name == "alpha").F).ToList();
        Assert.Equal(4, slopes.Count); // three blocks and the hidden fully connected layer
        Assert.All(slopes, s => Assert.Equal(11f / 48f, s, 6));
    }

    [Fact]
    public void DropActivationExportsAsLeakyReluWithSlopeOneMinusP()
    {
        var (model, _, _) = SimpleCnn("dropact", p: 0.95);
        using var _m = model;
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 } });
        var slopes = proto.Graph.Node.Where(n => n.OpType == "LeakyRelu").Select(n => n.Attribute.Single(a => a.Name == "alpha").F).ToList();
        Assert.Equal(4, slopes.Count);
        Assert.All(slopes, s => Assert.Equal(0.05f, s, 6));
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Dropout");
        Assert.Contains(proto.Graph.Initializer, t => t.Name == "block1.bn.running_var");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void EveryOpsetRunsInOnnxRuntime(int opset)
    {
        var (model, x, expected) = SimpleCnn("dropact");
        using var _ = model;
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 }, Opset = opset });
        Assert.Equal(opset, proto.OpsetImport.Single().Version);
        Assert.Equal(OnnxExporter.IrVersionFor(opset), proto.IrVersion);
        OnnxChecker.AssertValid(proto, opset);
        using var ort = new OnnxRuntimeRunner(proto);
        Close.Assert1e4(ort.Run(x), expected, $"opset {opset}");
    }

    [Fact]
    public void FixedBatchIsWrittenAndEnforced()
    {
        var (model, x, expected) = SimpleCnn("dropact", batch: 2);
        using var _ = model;
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 }, BatchSize = 2 });
        Assert.Equal(2, proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue);
        Assert.Equal(new long[] { 2, 10 }, proto.Graph.Output[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        using var ort = new OnnxRuntimeRunner(proto);
        Close.Assert1e4(ort.Run(x), expected, "batch 2");
        Assert.ThrowsAny<Exception>(() => ort.Run(x[..1]));
    }

    [Theory]
    [InlineData(255f)]
    [InlineData(1f)]
    public void InputNormalizationInTheGraphTakesRawImages(float inputMax)
    {
        var (model, _, _) = SimpleCnn("dropact");
        using var _m = model;
        float[] mean = { 0.49f, 0.48f, 0.45f }, std = { 0.25f, 0.24f, 0.26f };
        var norm = new InputNormalization(mean, std, inputMax);
        var proto = OnnxExporter.Export(model, new OnnxExportOptions { InputShape = new long[] { 3, 8, 8 }, Normalization = norm });
        OnnxChecker.AssertValid(proto, OnnxExporter.DefaultOpset);

        // Raw pixels: integers 0..255, or those divided by 255.
        var raw = torch.randint(0, 256, new long[] { 3, 3, 8, 8 }).to(ScalarType.Float32);
        if (inputMax == 1f) raw = raw / 255f;
        var normalized = (raw / inputMax - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1);
        Tensor expected;
        using (torch.no_grad()) expected = model.call(normalized);
        using var ort = new OnnxRuntimeRunner(proto);
        Close.Assert1e4(ort.Run(raw), expected, $"raw input 0..{inputMax}");
    }
}
