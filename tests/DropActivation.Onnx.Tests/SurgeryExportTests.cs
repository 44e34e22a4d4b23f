using DropActivation.Modules;
using DropActivation.Surgery;
using DropActivation.Training.Interop;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>
/// The strided 1×1 convolutions that Drop-Activation surgery swaps by default (issue 31) leave what a user exports
/// unchanged: the ONNX model and the PyTorch/safetensors weights are byte for byte those of the model left unswapped.
/// </summary>
public sealed class SurgeryExportTests
{
    private static nn.Module<Tensor, Tensor> UserModel() => nn.Sequential(
        ("stem", nn.Conv2d(3, 16, 3, padding: 1)), ("bn1", nn.BatchNorm2d(16)), ("relu1", nn.ReLU()),
        ("down", nn.Conv2d(16, 32, 1, stride: 2, bias: false)), ("bn2", nn.BatchNorm2d(32)), ("relu2", nn.ReLU()),
        ("pool", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten()), ("fc", nn.Linear(32, 10)));

    [Fact]
    public void A_swapped_user_model_exports_the_same_onnx_and_weights_as_the_unswapped_one()
    {
        var dir = RealData.NewTempDir("dropact-surgery-export");
        var models = new List<nn.Module<Tensor, Tensor>>();
        foreach (bool avoid in new[] { true, false })
        {
            torch.manual_seed(4);
            var m = UserModel();
            var report = m.UseDropActivation(0.9, avoidStridedPointwiseConvolutions: avoid);
            Assert.Equal(avoid ? 1 : 0, report.ProtectedConvolutions.Count);
            m.eval();
            models.Add(m);
        }
        var (swapped, bare) = (models[0], models[1]);
        Assert.Contains(swapped.modules(), m => m is StridedPointwiseConv2d);
        Assert.Equal(bare.state_dict().Keys, swapped.state_dict().Keys);
        var x = torch.randn(2, 3, 12, 12);
        using (torch.no_grad()) Close.Assert1e4(swapped.call(x), bare.call(x), "eval outputs", tolerance: 1e-5);

        var options = new OnnxExportOptions { InputShape = new long[] { 3, 12, 12 } };
        Assert.Equal(OnnxExporter.Export(bare, options).ToByteArray(), OnnxExporter.Export(swapped, options).ToByteArray());
        foreach (var (format, file) in new[] { (WeightFormat.PyTorch, "w.pt"), (WeightFormat.SafeTensors, "w.safetensors") })
        {
            PyTorchWeights.Save(bare, Path.Combine(dir, "bare-" + file), format);
            PyTorchWeights.Save(swapped, Path.Combine(dir, "swapped-" + file), format);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "bare-" + file)), File.ReadAllBytes(Path.Combine(dir, "swapped-" + file)));
        }
    }
}
