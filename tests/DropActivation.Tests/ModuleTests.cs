using DropActivation.Activations;
using DropActivation.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

public class ModuleTests
{
    /// <summary>A user's own module holding Drop-Activation layers in fields and in a nested Sequential.</summary>
    private sealed class UserNet : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> fc1 = nn.Linear(8, 16);
        private readonly nn.Module<Tensor, Tensor> act1 = DA.DropAct(0.9);
        private readonly nn.Module<Tensor, Tensor> block = nn.Sequential(nn.Linear(16, 16), DA.DropAct(ElementwiseActivation.Tanh, 0.8), nn.Sequential(nn.Linear(16, 16), DA.DropAct(0.7)));
        private readonly nn.Module<Tensor, Tensor> fc2 = nn.Linear(16, 2);

        public UserNet() : base(nameof(UserNet)) => RegisterComponents();

        public override Tensor forward(Tensor x) => fc2.call(block.call(act1.call(fc1.call(x))));
    }

    [Fact]
    public void Eval_and_train_on_a_parent_reach_every_drop_activation_layer()
    {
        var net = nn.Sequential(nn.Linear(8, 8), new UserNet(), DA.DropAct(0.5));
        var layers = net.modules().OfType<DropAct>().ToList();
        Assert.Equal(4, layers.Count);
        Assert.All(layers, l => Assert.True(l.training));

        bool SameUnderTwoSeeds()
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(32, 8);
            torch.manual_seed(1);
            var a = net.call(x);
            torch.manual_seed(2);
            var b = net.call(x);
            return a.Same(b);
        }

        net.eval();
        Assert.All(layers, l => Assert.False(l.training));
        Assert.True(SameUnderTwoSeeds(), "eval mode must be deterministic");

        net.train();
        Assert.All(layers, l => Assert.True(l.training));
        Assert.False(SameUnderTwoSeeds(), "training mode must draw new masks");
    }

    [Fact]
    public void Module_forward_is_the_functional_form()
    {
        using var scope = torch.NewDisposeScope();
        var layer = DA.DropAct(0.85);
        var x = torch.randn(1000);
        torch.manual_seed(9);
        var a = layer.call(x);
        torch.manual_seed(9);
        var b = DA.functional.drop_act(x, 0.85, training: true);
        Assert.True(a.Same(b));
        layer.eval();
        Assert.True(layer.call(x).Same(nn.functional.leaky_relu(x, 1 - 0.85)));
        Assert.Equal("DropAct(p=0.85, f=relu)", layer.ToString());
    }
}

public class RandomizedReLUTests
{
    [Fact]
    public void Training_slopes_are_uniform_on_one_eighth_to_one_third()
    {
        torch.manual_seed(17);
        using var scope = torch.NewDisposeScope();
        const long n = 1_000_000;
        var layer = DA.RandomizedReLU();
        var x = -(torch.rand(n, dtype: ScalarType.Float64) + 0.5);
        var slopes = layer.call(x) / x;
        double min = slopes.min().item<double>(), max = slopes.max().item<double>();
        double mean = slopes.mean().item<double>(), std = slopes.std().item<double>();
        Assert.InRange(min, 1.0 / 8, 1.0 / 8 + 1e-4);
        Assert.InRange(max, 1.0 / 3 - 1e-4, 1.0 / 3);
        // U(a, b): mean (a+b)/2 = 11/48, std (b-a)/sqrt(12) ≈ 0.0601; standard errors at n = 1e6 are ~6e-5.
        double expectedStd = (1.0 / 3 - 1.0 / 8) / Math.Sqrt(12);
        Assert.True(Math.Abs(mean - 11.0 / 48) < 4 * expectedStd / Math.Sqrt(n), $"mean slope {mean}");
        Assert.True(Math.Abs(std - expectedStd) < 0.001, $"slope std {std}, expected {expectedStd}");
        // Slopes differ between elements and between calls.
        Assert.False(layer.call(x).Same(layer.call(x)));
    }

    [Fact]
    public void Non_negative_inputs_are_unchanged_and_eval_slope_is_eleven_48ths()
    {
        using var scope = torch.NewDisposeScope();
        var layer = DA.RandomizedReLU();
        var positive = torch.rand(10_000);
        Assert.True(layer.call(positive).Same(positive));
        layer.eval();
        var x = -torch.rand(10_000, dtype: ScalarType.Float64) - 0.1;
        var slopes = layer.call(x) / x;
        Assert.True((slopes - 11.0 / 48).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void Gradient_on_the_negative_side_is_the_drawn_slope()
    {
        using var scope = torch.NewDisposeScope();
        var x = (-torch.rand(1000, dtype: ScalarType.Float64) - 0.1).requires_grad_(true);
        var y = DA.functional.rrelu(x);
        y.sum().backward();
        Assert.True(x.grad!.allclose(y.detach() / x.detach(), rtol: 1e-12, atol: 0));
    }

    [Fact]
    public void Bad_slopes_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DA.RandomizedReLU(0.5, 0.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => DA.RandomizedReLU(double.NaN, 0.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => DA.RandomizedReLU(-1, 0.25));
    }
}

public class FastRReluTests
{
    [Fact]
    public void Fast_rrelu_is_reproducible_from_the_seed_independent_of_threads_and_matches_the_portable_statistics()
    {
        using var scope = torch.NewDisposeScope();
        var x = -(torch.rand(400_000) + 0.5f);
        int threads = torch.get_num_threads();
        try
        {
            Tensor Run(int seed, int t) { torch.set_num_threads(t); torch.manual_seed(seed); return DA.functional.rrelu(x, backend: DropActBackend.Fast); }
            var a = Run(5, 2);
            Assert.True(a.Same(Run(5, 1)), "same seed, other thread count: other slopes");
            Assert.False(a.Same(Run(6, 2)), "another seed gave the same slopes");
            var fast = (a / x).to_type(ScalarType.Float64);
            torch.manual_seed(5);
            var portable = (DA.functional.rrelu(x, backend: DropActBackend.Portable) / x).to_type(ScalarType.Float64);
            // Same law: means within 4 standard errors of each other, standard deviations within 1%.
            double se = (1.0 / 3 - 1.0 / 8) / Math.Sqrt(12) * Math.Sqrt(2.0 / x.numel());
            Assert.True(Math.Abs(fast.mean().item<double>() - portable.mean().item<double>()) < 4 * se);
            Assert.True(Math.Abs(fast.std().item<double>() / portable.std().item<double>() - 1) < 0.01);
            // Neighbouring elements are not correlated (the slopes come from a hash of the index).
            var s = fast - fast.mean();
            double corr = (s[..^1] * s[1..]).mean().item<double>() / s.var().item<double>();
            Assert.True(Math.Abs(corr) < 4 / Math.Sqrt(x.numel()), $"lag-1 correlation {corr}");
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void The_module_uses_the_backend_it_is_given()
    {
        using var scope = torch.NewDisposeScope();
        var x = -(torch.rand(10_000) + 0.5f);
        var fast = DA.RandomizedReLU(backend: DropActBackend.Fast);
        var portable = DA.RandomizedReLU(backend: DropActBackend.Portable);
        torch.manual_seed(9);
        var a = fast.call(x);
        torch.manual_seed(9);
        Assert.True(a.Same(DA.functional.rrelu(x, backend: DropActBackend.Fast)));
        torch.manual_seed(9);
        Assert.False(a.Same(portable.call(x)), "the portable module drew the fast kernel's slopes");
        Assert.Throws<NotSupportedException>(() => fast.call(x.to_type(ScalarType.Float16)));
    }

    [Fact]
    public void Fast_rrelu_gradient_equals_autograd_of_the_formula_with_its_slopes()
    {
        using var scope = torch.NewDisposeScope();
        var data = torch.randn(3, 17, 29);
        data[0, 0] = torch.zeros(29);
        var upstream = torch.randn_like(data);
        var x1 = data.clone().requires_grad_(true);
        torch.manual_seed(3);
        var y1 = DA.functional.rrelu(x1, backend: DropActBackend.Fast);
        (y1 * upstream).sum().backward();
        // The slopes the kernel used, read back from its output where x < 0; 1 elsewhere.
        var slope = torch.where(data.lt(0), y1.detach() / data, torch.ones_like(data));
        var x2 = data.clone().requires_grad_(true);
        var y2 = torch.where(x2.ge(0), x2, x2 * slope);
        (y2 * upstream).sum().backward();
        Assert.True(x1.grad!.allclose(x2.grad!, rtol: 1e-5, atol: 1e-6));
    }
}
