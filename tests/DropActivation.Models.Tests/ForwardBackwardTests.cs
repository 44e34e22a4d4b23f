using DropActivation.Models.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Models.Tests;

/// <summary>
/// Forward and backward of every registered model with Drop-Activation, in train and eval mode, at its
/// real input size and batch 1, 2 and 8 (1 and 2 at 224×224): output shape, a finite gradient for every
/// parameter. No model may hold a strided 1×1 nn.Conv2d: its backward is the oneDNN kernel that kills
/// the process on AVX-512 CPUs (see StridedPointwiseConv2d), so this holds on every host, whatever
/// CPU the suite runs on.
/// </summary>
public sealed class ForwardBackwardTests
{
    private static readonly string[] CifarModels =
    {
        "vgg19-bn", "resnet110", "resnet164", "preresnet164", "wrn-28-10", "wrn-16-8", "densenet-bc-100-12",
        "densenet-bc-190-40", "resnext29-8x64d", "resnet18-cifar", "simple-cnn",
    };

    private static readonly string[] ImageNetModels = { "resnet34", "se-resnet50" };

    /// <summary>Every model at batch 1 and 2, and 8 for the 32×32 ones (224×224 for the ImageNet models).</summary>
    public static TheoryData<string, int, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int, int>();
            foreach (var name in CifarModels)
                foreach (int batch in new[] { 1, 2, 8 })
                    data.Add(name, batch, 32);
            foreach (var name in ImageNetModels)
                foreach (int batch in new[] { 1, 2 })
                    data.Add(name, batch, 224);
            return data;
        }
    }

    [Fact]
    public void Every_registered_name_is_covered()
    {
        var covered = Cases.Select(row => (string)row[0]).Append("mlp-regression").ToHashSet();
        Assert.Equal(ModelRegistry.Names.OrderBy(n => n), covered.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_in_train_and_eval(string name, int batch, int size)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(7);
        var info = ModelRegistry.Describe(name);
        int classes = info.ClassCounts[^1];
        var config = new ModelConfig(classes, 3, size) { Activation = ActivationFactory.FromName("dropact", 0.95) };
        using var model = ModelRegistry.Create(name, config);
        // DenseNet-BC's fp32 backward on CPUs with AVX-512 and no AMX (libtorch 2.10's oneDNN) is nondeterministic and
        // now and then non-finite, with the native and the managed Drop-Activation kernel alike (docs/known-limits.md):
        // there the model is checked in float64, which oneDNN does not compute.
        var dtype = name.StartsWith("densenet", StringComparison.Ordinal) && DropActivation.Runtime.CpuFeatures.Current.StridedPointwiseBackwardMayCrash
            ? ScalarType.Float64 : ScalarType.Float32;
        // DenseNet-BC-190-40 keeps every concatenation for backward: at batch 8 in float64 the test host needed ~16 GiB and
        // was killed by the OOM killer on a 24 GiB machine running other test hosts; batch 2 there checks the same code.
        if (dtype == ScalarType.Float64 && name == "densenet-bc-190-40") batch = Math.Min(batch, 2);
        model.to(dtype);
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            foreach (var p in model.parameters()) p.grad = null;
            var x = torch.randn(batch, 3, size, size, dtype: dtype);
            var target = torch.randint(0, classes, new long[] { batch }, dtype: ScalarType.Int64);
            var y = model.forward(x);
            Assert.Equal(new long[] { batch, classes }, y.shape);
            Assert.True(y.isfinite().all().item<bool>());
            nn.functional.cross_entropy(y, target).backward();
            AssertEveryParameterHasAGradient(model);
        }
    }

    [Fact]
    public void No_model_holds_a_strided_1x1_convolution_that_oneDNN_would_run_backward()
    {
        foreach (var name in ModelRegistry.Names)
        {
            var info = ModelRegistry.Describe(name);
            var config = name == "mlp-regression" ? new ModelConfig(1, 1) : new ModelConfig(info.ClassCounts[^1], 3, CifarModels.Contains(name) ? 32 : 224);
            using var model = ModelRegistry.Create(name, config);
            var strided = model.named_modules()
                .Where(m => m.module is TorchSharp.Modules.Conv2d c && DropActivation.Modules.StridedPointwiseConv2d.CanReplace(c))
                .Select(m => m.name).ToList();
            Assert.True(strided.Count == 0, $"{name} holds strided 1×1 Conv2d modules: {string.Join(", ", strided)}");
        }
        // The check can fail: resnext29's shortcuts are strided 1×1 convolutions, now the safe module.
        using var resnext = ModelRegistry.Create("resnext29-8x64d", new ModelConfig(10, 3, 32));
        Assert.Contains(resnext.modules(), m => m is DropActivation.Modules.StridedPointwiseConv2d { stride: 2 });
    }

    [Fact]
    public void Regression_mlp_maps_scalars_to_scalars_with_gradients()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelRegistry.Create("mlp-regression", new ModelConfig(1, 1) { Activation = ActivationFactory.FromName("dropact") });
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            foreach (var p in model.parameters()) p.grad = null;
            var x = torch.linspace(-1, 1, 20).unsqueeze(1);
            var y = model.forward(x);
            Assert.Equal(new long[] { 20, 1 }, y.shape);
            nn.functional.mse_loss(y, x.sin()).backward();
            AssertEveryParameterHasAGradient(model);
        }
    }

    [Theory]
    [InlineData("resnet34")]
    [InlineData("se-resnet50")]
    public void ImageNet_models_take_224_by_224(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelRegistry.Create(name);
        model.eval();
        using var _ = torch.no_grad();
        var y = model.forward(torch.randn(1, 3, 224, 224));
        Assert.Equal(new long[] { 1, 1000 }, y.shape);
    }

    public static TheoryData<string> CifarStyle => new(CifarModels);

    [Theory]
    [MemberData(nameof(CifarStyle))]
    public void Cifar_style_models_take_one_channel_28_by_28(string name)
    {
        // MNIST / EMNIST Balanced (47 classes): 1×28×28.
        using var scope = torch.NewDisposeScope();
        using var model = ModelRegistry.Create(name, new ModelConfig(47, 1, 28));
        model.eval();
        using var _ = torch.no_grad();
        var y = model.forward(torch.randn(2, 1, 28, 28));
        Assert.Equal(new long[] { 2, 47 }, y.shape);
    }

    [Fact]
    public void Simple_cnn_takes_8_by_8_digits()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 1, 8));
        var y = model.forward(torch.randn(4, 1, 8, 8));
        Assert.Equal(new long[] { 4, 10 }, y.shape);
        y.sum().backward();
        AssertEveryParameterHasAGradient(model);
    }

    private static void AssertEveryParameterHasAGradient(nn.Module model)
    {
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"no gradient for {name}");
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"non-finite gradient for {name}");
        }
        Assert.Contains(model.parameters(), p => p.grad!.abs().max().to(ScalarType.Float64).item<double>() > 0);
    }
}
