using DropActivation.Layout;
using DropActivation.Models.Registry;
using Google.Protobuf;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>
/// Every zoo model, with Drop-Activation (p = 0.9) and random weights and BatchNorm statistics, exported with a
/// dynamic batch: the file passes ONNX's checker, loads in ONNX Runtime, and its outputs at batch 1 and 3 equal
/// the evaluation-mode TorchSharp model's within 1e-4 relative; the folded model exports to the same outputs.
/// </summary>
public sealed class ZooExportTests
{
    public static TheoryData<string> ZooNames() => new(ModelRegistry.Names);

    /// <summary>Small inputs keep the suite fast: CIFAR models at 16×16, ImageNet models at their minimum 32×32.</summary>
    internal static (ZooModel Model, long[] InputShape) Build(string name, string activation = "dropact", double p = 0.9, long seed = 17)
    {
        torch.manual_seed(seed);
        var info = ModelRegistry.Describe(name);
        bool imageNet = info.DefaultImageSize == 224;
        bool mlp = info.TakesFeatures;
        int size = mlp ? 1 : imageNet ? 32 : 16;
        var config = new ModelConfig(NumClasses: mlp ? 1 : 10, InChannels: mlp ? 1 : 3, ImageSize: size)
        {
            Activation = ActivationFactory.FromName(activation, p),
            // The paper's ImageNet runs: Drop-Activation in the last two stages, ReLU elsewhere.
            ActivationStages = imageNet ? ModelRegistry.LastStages(name, 2) : null,
        };
        var model = ModelRegistry.Create(name, config);
        RandomizeBatchNorm(model);
        model.eval();
        return (model, info.InputShape(config));
    }

    /// <summary>BatchNorm statistics and affine parameters away from their initial 0/1, so that the inference form is really tested.</summary>
    internal static void RandomizeBatchNorm(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var bn in model.modules().OfType<TorchSharp.Modules.BatchNorm2d>())
        {
            long c = bn.num_features;
            bn.running_mean!.copy_(torch.randn(c) * 0.2);
            bn.running_var!.copy_(torch.rand(c) + 0.5);
            bn.weight!.copy_(torch.rand(c) + 0.5);
            bn.bias!.copy_(torch.randn(c) * 0.2);
        }
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void ZooModelRunsInOnnxRuntimeLikeTorchSharp(string name)
    {
        var (model, inputShape) = Build(name);
        using var _ = model;
        using var scope = torch.NewDisposeScope();
        var options = new OnnxExportOptions { InputShape = inputShape };
        var proto = OnnxExporter.Export(model, options);
        OnnxChecker.AssertValid(proto, options.Opset);
        Assert.Equal("batch", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);

        var batch3 = torch.randn(inputShape.Prepend(3L).ToArray());
        var batch1 = batch3[..1];
        Tensor expected3, expected1;
        using (torch.no_grad())
        {
            expected3 = model.call(batch3);
            expected1 = model.call(batch1);
        }
        using (var ort = new OnnxRuntimeRunner(proto))
        {
            Close.Assert1e4(ort.Run(batch1), expected1, $"{name}, batch 1");
            Close.Assert1e4(ort.Run(batch3), expected3, $"{name}, batch 3");
        }

        // The folded model (LeakyReLU where Drop-Activation was) exports to a graph with the same outputs.
        var report = model.Fold();
        Assert.NotEmpty(report.Replacements);
        Assert.DoesNotContain(model.modules(), m => m is Modules.DropAct);
        var folded = OnnxExporter.Export(model, options);
        Tensor foldedTorch;
        using (torch.no_grad()) foldedTorch = model.call(batch3);
        using var foldedOrt = new OnnxRuntimeRunner(folded);
        Close.Assert1e4(foldedOrt.Run(batch3), foldedTorch, $"{name} folded, batch 3");
        Close.Assert1e4(foldedTorch, expected3, $"{name} folded vs unfolded in TorchSharp");
    }

    [Fact]
    public void AChannelsLastModelExportsTheSameFileAsItsStandardLayoutTwin()
    {
        var (standard, shape) = Build("preresnet-20");
        var (channelsLast, _) = Build("preresnet-20");
        using var a = standard;
        using var b = channelsLast.ToChannelsLast();
        Assert.Contains(b.parameters(), t => t.dim() == 4 && !t.is_contiguous());
        var options = new OnnxExportOptions { InputShape = shape };
        Assert.Equal(OnnxExporter.Export(a, options).ToByteArray(), OnnxExporter.Export(b, options).ToByteArray());
    }
}
