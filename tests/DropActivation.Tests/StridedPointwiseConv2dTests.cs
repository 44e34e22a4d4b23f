using DropActivation.Layout;
using DropActivation.Modules;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

/// <summary>
/// The strided 1×1 convolution that avoids oneDNN's crashing kernel: the case that killed the
/// process on AVX-512 hosts, checked against a plain matrix product (no convolution at all), and
/// the surgery that puts it into a model of one's own.
/// </summary>
public class StridedPointwiseConv2dTests
{
    /// <summary>out[n, o, i, j] = Σ_c w[o, c] · x[n, c, s·i, s·j] + b[o], by a matrix product.</summary>
    private static Tensor Reference(Tensor x, Tensor w, Tensor? b, long s)
    {
        var sub = x.slice(2, 0, x.shape[2], s).slice(3, 0, x.shape[3], s);
        var y = torch.einsum("nchw,oc->nohw", sub, w.flatten(1));
        return b is null ? y : y + b.view(1, -1, 1, 1);
    }

    [Fact]
    public void The_case_that_crashed_oneDNN_on_AVX512_runs_forward_and_backward_exactly()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        // nn.Conv2d(512, 1024, 1, stride: 2, bias: false) on 2×512×16×16, then .sum().backward().
        var conv = new StridedPointwiseConv2d(512, 1024, stride: 2, bias: false);
        var x = torch.randn(2, 512, 16, 16).requires_grad_(true);
        var y = conv.call(x);
        Assert.Equal(new long[] { 2, 1024, 8, 8 }, y.shape);
        y.sum().backward();

        var x2 = x.detach().clone().requires_grad_(true);
        var w2 = conv.weight.detach().clone().requires_grad_(true);
        var y2 = Reference(x2, w2, null, 2);
        y2.sum().backward();
        Assert.True(y.allclose(y2, rtol: 1e-4, atol: 1e-4), "forward differs from the matrix product");
        Assert.True(x.grad!.allclose(x2.grad!, rtol: 1e-4, atol: 1e-4), "input gradient differs");
        Assert.True(conv.weight.grad!.allclose(w2.grad!, rtol: 1e-4, atol: 1e-3), "weight gradient differs");
        // Only every second row and column of the input reaches the output.
        Assert.Equal(0.0, x.grad![.., .., 1, ..].abs().sum().item<float>());
    }

    [Theory]
    [InlineData(3, 7, 2, 9, 9, true)]
    [InlineData(4, 6, 3, 10, 7, false)]
    [InlineData(16, 32, 2, 8, 8, true)]
    public void It_equals_nn_Conv2d_with_the_same_weights_for_odd_sizes_and_biases(long inC, long outC, long stride, long h, long w, bool bias)
    {
        using var scope = torch.NewDisposeScope();
        var conv = nn.Conv2d(inC, outC, 1, stride: stride, bias: bias);
        var x = torch.randn(2, inC, h, w, dtype: ScalarType.Float32);
        var expected = conv.call(x);
        var model = nn.Sequential(("conv", conv));
        var report = model.AvoidStridedPointwiseConvolutions();
        Assert.Equal(1, report.Count);
        var replaced = Assert.IsType<StridedPointwiseConv2d>(model.named_children().Single().module);
        Assert.Equal(bias, replaced.bias is not null);
        Assert.Equal(new[] { "conv.weight" }.Concat(bias ? new[] { "conv.bias" } : Array.Empty<string>()), model.state_dict().Keys);
        Assert.True(model.call(x).allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void A_channels_last_input_gets_a_channels_last_gradient_with_the_subsampled_values_exactly(ScalarType dtype)
    {
        // The input gradient keeps the input's memory order: in a channels-last network it meets the other branch's
        // channels-last gradient, and a sum of two layouts is the slow path that once cost PreResNet-20 a fifth of its
        // backward pass. Each input element reaches at most one output, so its gradient is exact (no rounding).
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var conv = new StridedPointwiseConv2d(8, 16, stride: 2, bias: false);
        conv.to(dtype);
        var x = torch.randn(2, 8, 9, 9).to(dtype).ToChannelsLast().requires_grad_(true);
        var y = conv.call(x);
        Assert.Equal(new long[] { 2, 16, 5, 5 }, y.shape);
        var gradOut = torch.randn(y.shape).to(dtype);
        // autograd.grad hands back the gradient as the graph computed it (backward() would fit a leaf's gradient to the
        // leaf's layout afterwards, hiding what a layer further down the network receives).
        var gradX = torch.autograd.grad([y], [x], [gradOut])[0];
        Assert.True(gradX.IsChannelsLast(), "the input gradient lost the channels-last layout");

        var expected = torch.einsum("nohw,oc->nchw", gradOut.to(ScalarType.Float32), conv.weight.detach().flatten(1).to(ScalarType.Float32)).to(dtype);
        Assert.True(gradX.slice(2, 0, 9, 2).slice(3, 0, 9, 2).to(ScalarType.Float32).allclose(expected.to(ScalarType.Float32), rtol: dtype == ScalarType.BFloat16 ? 2e-2 : 1e-5, atol: dtype == ScalarType.BFloat16 ? 2e-2 : 1e-5));
        Assert.Equal(0.0, gradX[.., .., 1, ..].to(ScalarType.Float32).abs().sum().item<float>());
        Assert.Equal(0.0, gradX[.., .., .., 1].to(ScalarType.Float32).abs().sum().item<float>());
        Assert.True(y.to(ScalarType.Float32).allclose(Reference(x.detach().to(ScalarType.Float32), conv.weight.detach().to(ScalarType.Float32), null, 2),
            rtol: dtype == ScalarType.BFloat16 ? 2e-2 : 1e-5, atol: dtype == ScalarType.BFloat16 ? 5e-2 : 1e-5));
    }

    [Fact]
    public void Default_initialisation_draws_what_nn_Conv2d_draws()
    {
        torch.manual_seed(42);
        using var conv = nn.Conv2d(64, 128, 1, stride: 2, bias: true);
        torch.manual_seed(42);
        using var pointwise = new StridedPointwiseConv2d(64, 128, 2, bias: true);
        Assert.True(conv.weight.eq(pointwise.weight).all().item<bool>());
        Assert.True(conv.bias!.eq(pointwise.bias!).all().item<bool>());
    }

    [Fact]
    public void Surgery_on_torchvision_resnet50_replaces_exactly_its_three_strided_shortcuts()
    {
        using var scope = torch.NewDisposeScope();
        using var model = torchvision.models.resnet50(num_classes: 10);
        model.eval();
        var x = torch.randn(1, 3, 64, 64);
        var before = model.call(x);
        var report = model.AvoidStridedPointwiseConvolutions();
        Assert.Equal(new[] { "layer2.0.downsample.0", "layer3.0.downsample.0", "layer4.0.downsample.0" }, report.Paths.ToArray());
        Assert.True(model.call(x).allclose(before, rtol: 1e-4, atol: 1e-5));
        model.train();
        model.call(torch.randn(2, 3, 64, 64)).sum().backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Drop_activation_surgery_on_torchvision_resnet50_also_protects_its_strided_shortcuts_unless_told_not_to()
    {
        using var scope = torch.NewDisposeScope();
        static int StridedConvs(nn.Module m) => m.modules().Count(c => c is TorchSharp.Modules.Conv2d conv && StridedPointwiseConv2d.CanReplace(conv));
        torch.manual_seed(3);
        using var protectedModel = torchvision.models.resnet50(num_classes: 10);
        torch.manual_seed(3);
        using var bare = torchvision.models.resnet50(num_classes: 10);
        var keys = bare.state_dict().Keys.ToList();

        var report = protectedModel.UseDropActivation(0.95);
        var optOut = bare.UseDropActivation(0.95, avoidStridedPointwiseConvolutions: false);
        Assert.Equal(new[] { "layer2.0.downsample.0", "layer3.0.downsample.0", "layer4.0.downsample.0" }, report.ProtectedConvolutions.Select(r => r.Path));
        Assert.Equal(report.Count, optOut.Count);           // the activations are replaced either way
        Assert.Empty(optOut.ProtectedConvolutions);
        Assert.Equal((0, 3), (StridedConvs(protectedModel), StridedConvs(bare)));
        Assert.Contains("replaced 3 strided 1×1 convolutions", report.ToString());
        Assert.Contains("layer3.0.downsample.0: Conv2d(512, 1024, kernel_size=1, stride=2) -> StridedPointwiseConv2d(512, 1024, stride=2, bias=False)", report.ToString());
        Assert.DoesNotContain("strided", optOut.ToString());
        // Same function, same state-dict keys, the weights moved over.
        Assert.Equal(keys, protectedModel.state_dict().Keys.ToList());
        protectedModel.eval();
        bare.eval();
        var x = torch.randn(1, 3, 64, 64);
        // Eval outputs within 1e-5 of the unswapped model's, relative to the logits' scale (float32 rounding of a
        // different summation order through 50 layers).
        var expected = bare.call(x);
        double gap = (protectedModel.call(x) - expected).abs().max().item<float>(), scale = expected.abs().max().item<float>();
        Assert.True(gap <= 1e-5 * scale, $"largest difference {gap:E2} on logits up to {scale:E2}");
        // A training step at the size that killed the process on AVX-512 hosts without AMX (batch 2, 224×224).
        protectedModel.train();
        nn.functional.cross_entropy(protectedModel.call(torch.randn(2, 3, 224, 224)), torch.tensor(new long[] { 1, 2 })).backward();
        Assert.All(protectedModel.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Rrelu_surgery_protects_strided_shortcuts_too()
    {
        using var scope = torch.NewDisposeScope();
        using var model = torchvision.models.resnet50(num_classes: 10);
        var report = model.UseRandomizedReLU();
        Assert.Equal(3, report.ProtectedConvolutions.Count);
        Assert.Equal(report.ActivationsSeen, report.Count);
    }

    [Fact]
    public void Bad_arguments_are_rejected_naming_them()
    {
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => new StridedPointwiseConv2d(4, 4, 0)).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentOutOfRangeException>(() => new StridedPointwiseConv2d(4, 6, 2, groups: 4)).ParamName);
        Assert.Equal("in_channels", Assert.Throws<ArgumentOutOfRangeException>(() => new StridedPointwiseConv2d(0, 6, 2)).ParamName);
    }
}
