using DropActivation.Models.Registry;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Tests;

/// <summary>Weight initialisation as each reference implementation writes it (statistics of large tensors).</summary>
public sealed class InitTests
{
    private static double Std(Tensor t) => t.std().item<float>();

    [Fact]
    public void Resnet_convs_are_he_normal_fan_out_and_batchnorm_is_one_zero()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create("resnet110");
        // Last stage 3×3 convs: 64 outputs → std √(2 / (9·64)) = 0.0589.
        var conv = model.modules().OfType<Conv2d>().Last(c => c.weight.shape[0] == 64 && c.weight.shape[2] == 3);
        Assert.Equal(Math.Sqrt(2.0 / (9 * 64)), Std(conv.weight), 2);
        foreach (var bn in model.modules().OfType<BatchNorm2d>())
        {
            Assert.True(bn.weight!.eq(1).all().item<bool>());
            Assert.True(bn.bias!.eq(0).all().item<bool>());
        }
    }

    [Fact]
    public void Vgg_linear_is_normal_0_01_with_zero_bias_and_conv_biases_zero()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create("vgg19-bn", new ModelConfig(100));
        Assert.Equal(0.01, Std(model.Head.weight), 3);
        Assert.True(model.Head.bias!.eq(0).all().item<bool>());
        Assert.All(model.modules().OfType<Conv2d>(), c => Assert.True(c.bias!.eq(0).all().item<bool>()));
        var last = model.modules().OfType<Conv2d>().Last();
        Assert.Equal(Math.Sqrt(2.0 / (9 * 512)), Std(last.weight), 3);
    }

    [Fact]
    public void Resnext_classifier_is_he_normal_fan_in_with_zero_bias()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create("resnext29-8x64d", new ModelConfig(100));
        Assert.Equal(Math.Sqrt(2.0 / 1024), Std(model.Head.weight), 3);
        Assert.True(model.Head.bias!.eq(0).all().item<bool>());
    }

    [Fact]
    public void Wide_resnet_fc_bias_is_zero_and_weight_is_pytorch_default()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create("wrn-16-8", new ModelConfig(100));
        Assert.True(model.Head.bias!.eq(0).all().item<bool>());
        // PyTorch default: U(−1/√fan_in, 1/√fan_in), fan_in = 512.
        Assert.True(model.Head.weight.abs().max().item<float>() <= 1 / Math.Sqrt(512) + 1e-6);
        Assert.Equal(1 / Math.Sqrt(512) / Math.Sqrt(3), Std(model.Head.weight), 3);
    }
}
