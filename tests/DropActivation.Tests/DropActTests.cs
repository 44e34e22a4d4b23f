using DropActivation.Activations;
using DropActivation.Kernels;
using DropActivation.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

public class DropActTests
{
    public static TheoryData<double, DropActBackend, ScalarType> RateCases()
    {
        var data = new TheoryData<double, DropActBackend, ScalarType>();
        foreach (var p in new[] { 0.5, 0.8, 0.95, 0.99 })
            foreach (var backend in new[] { DropActBackend.Fast, DropActBackend.Portable })
                data.Add(p, backend, ScalarType.Float32);
        data.Add(0.95, DropActBackend.Fast, ScalarType.Float64);
        data.Add(0.95, DropActBackend.Portable, ScalarType.Float64);
        return data;
    }

    [Theory]
    [MemberData(nameof(RateCases))]
    public void Negative_inputs_pass_unchanged_with_probability_one_minus_p(double p, DropActBackend backend, ScalarType dtype)
    {
        torch.manual_seed(11);
        const long n = 2_000_000;
        using var scope = torch.NewDisposeScope();
        var x = -(torch.rand(n, dtype: dtype) + 0.01);
        var y = DA.functional.drop_act(x, p, training: true, backend: backend);
        var passed = y.eq(x).to_type(ScalarType.Float64).mean().item<double>();
        Stats.FrequencyWithin(passed, 1 - p, n, 4, $"identity fraction, p={p}, {backend}, {dtype}");
        // Every other element is exactly ReLU's output.
        var zeroed = y.eq(0).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(1.0, passed + zeroed, 12);
    }

    [Theory]
    [InlineData(DropActBackend.Fast)]
    [InlineData(DropActBackend.Portable)]
    public void Non_negative_inputs_are_unchanged(DropActBackend backend)
    {
        torch.manual_seed(3);
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(300_000);
        x[0] = 0f;
        var y = DA.functional.drop_act(x, 0.7, training: true, backend: backend);
        Assert.True(y.Same(x));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("gelu")]
    public void Mean_of_training_outputs_matches_the_evaluation_output(string name)
    {
        var f = ElementwiseActivation.FromName(name);
        const double p = 0.8;
        const int draws = 4000;
        torch.manual_seed(5);
        using var scope = torch.NewDisposeScope();
        var x = torch.linspace(-3, 3, 601, dtype: ScalarType.Float64);
        var sum = torch.zeros_like(x);
        for (int i = 0; i < draws; i++)
        {
            using var inner = torch.NewDisposeScope();
            sum.add_(DA.functional.drop_act(x, p, training: true, activation: f));
        }
        var mean = sum / draws;
        var eval = DA.functional.drop_act(x, p, training: false, activation: f);
        // Each output is x or f(x): its standard deviation is sqrt(p(1-p))·|x - f(x)|.
        var se = (x - f.Apply(x)).abs() * Math.Sqrt(p * (1 - p) / draws);
        var excess = ((mean - eval).abs() - 5 * se - 1e-12).max().item<double>();
        Assert.True(excess <= 0, $"mean of {draws} training outputs deviates from the eval output by more than 5 standard errors (excess {excess:E3})");
        // And the eval form is the convex combination the paper defines.
        var expected = (1 - p) * x + p * f.Apply(x);
        Assert.True(eval.allclose(expected, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Evaluation_form_for_relu_is_leaky_relu_with_slope_one_minus_p()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1000);
        var y = DA.functional.drop_act(x, 0.95, training: false);
        Assert.True(y.Same(nn.functional.leaky_relu(x, 0.05)));
    }

    [Fact]
    public void P_one_is_the_activation_and_p_zero_the_identity()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(10_000);
        foreach (var training in new[] { true, false })
        {
            Assert.True(DA.functional.drop_act(x, 1.0, training).Same(x.relu()));
            Assert.True(DA.functional.drop_act(x, 1.0, training, ElementwiseActivation.Tanh).Same(x.tanh()));
            Assert.True(DA.functional.drop_act(x, 0.0, training).Same(x));
            Assert.True(DA.functional.drop_act(x, 0.0, training, ElementwiseActivation.Sigmoid).Same(x));
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.PositiveInfinity)]
    public void Out_of_range_p_is_rejected_naming_the_value(double p)
    {
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => DA.DropAct(p));
        Assert.Contains(p.ToString(), e1.Message);
        using var x = torch.randn(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => DA.functional.drop_act(x, p));
        var layer = DA.DropAct(0.9);
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.p = p);
        Assert.Equal(0.9, layer.p);
    }

    [Fact]
    public void The_one_p_check_accepts_exactly_0_to_1_inclusive()
    {
        Assert.Equal((0.0, 0.95, 1.0), (DA.CheckP(0), DA.CheckP(0.95), DA.CheckP(1)));
        foreach (var bad in new[] { -1e-9, 1 + 1e-9, double.NaN, double.NegativeInfinity })
            Assert.Throws<ArgumentOutOfRangeException>(() => DA.CheckP(bad));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DA.CheckP(1.5, "--p"));
        Assert.Equal("--p", e.ParamName);
        Assert.Contains("--p must lie in [0, 1], got 1.5", e.Message);
    }

    [Fact]
    public void Fast_relu_gradient_equals_autograd_of_the_reference_formula()
    {
        const double p = 0.9;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(21);
        var data = torch.randn(4, 3, 37, 41, dtype: ScalarType.Float64);
        data[0, 0] = torch.zeros(37, 41, dtype: ScalarType.Float64); // exact zeros: ReLU's convention at 0
        data[0, 1] = torch.full(37, 41, -0.0, dtype: ScalarType.Float64); // and negative zeros
        var upstream = torch.randn_like(data);

        var x1 = data.clone().requires_grad_(true);
        torch.manual_seed(99);
        var y1 = DA.functional.drop_act(x1, p, training: true, backend: DropActBackend.Fast);
        (y1 * upstream).sum().backward();

        // The same mask, recovered from the same seed.
        torch.manual_seed(99);
        var keep = ReluDropActCpuKernel.KeepMask(data.shape, p, ReluDropActCpuKernel.DrawSeed());
        var x2 = data.clone().requires_grad_(true);
        var y2 = torch.where(keep.logical_and(x2.le(0)), torch.zeros(1, dtype: ScalarType.Float64), x2);
        (y2 * upstream).sum().backward();

        Assert.True(y1.Same(y2), "outputs differ from the reference formula for the same mask");
        Assert.True(x1.grad!.Same(x2.grad!), "gradients differ from autograd of where(P & x <= 0, 0, x)");
        // The test is not vacuous: both kept and dropped negative elements occur.
        var negative = data.lt(0);
        Assert.True(keep.logical_not().logical_and(negative).any().item<bool>());
        Assert.True(keep.logical_and(negative).any().item<bool>());
        // ...and dropped exact zeros (+0 and -0), whose gradient is 1 although their output is 0.
        Assert.True(keep[0, 0].logical_not().any().item<bool>());
        Assert.True(keep[0, 1].logical_not().any().item<bool>());
    }

    [Fact]
    public void Portable_relu_gradient_equals_autograd_of_the_paper_formula()
    {
        const double p = 0.9;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(22);
        var data = torch.randn(2, 5, 17, dtype: ScalarType.Float64);
        var upstream = torch.randn_like(data);
        var keep = DA.functional.keep_mask(data, p);

        var x1 = data.clone().requires_grad_(true);
        var y1 = DA.functional.drop_act_with_mask(x1, keep);
        (y1 * upstream).sum().backward();

        var P = keep.to_type(ScalarType.Float64);
        var x2 = data.clone().requires_grad_(true);
        var y2 = (1 - P) * x2 + P * x2.relu(); // Eqn (3): (I - P + P f)(x)
        (y2 * upstream).sum().backward();

        Assert.True(y1.allclose(y2, rtol: 0, atol: 1e-15));
        Assert.True(x1.grad!.allclose(x2.grad!, rtol: 0, atol: 1e-15));
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("gelu")]
    [InlineData("silu")]
    [InlineData("custom")]
    public void Generic_activation_gradient_matches_finite_differences_in_float64(string name)
    {
        var f = name == "custom" ? ElementwiseActivation.Custom("softsign", t => t / (t.abs() + 1)) : ElementwiseActivation.FromName(name);
        const double p = 0.6, h = 1e-6;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var x0 = torch.randn(3, 4, 5, dtype: ScalarType.Float64);
        var w = torch.randn_like(x0);
        double Loss(Tensor x)
        {
            torch.manual_seed(77); // same mask on every call
            using var y = DA.functional.drop_act(x, p, training: true, activation: f);
            return (y * w).sum().item<double>();
        }

        var xg = x0.clone().requires_grad_(true);
        torch.manual_seed(77);
        (DA.functional.drop_act(xg, p, training: true, activation: f) * w).sum().backward();
        var analytic = xg.grad!;

        var flat = x0.flatten();
        for (int i = 0; i < flat.shape[0]; i++)
        {
            var plus = flat.clone(); plus[i] += h;
            var minus = flat.clone(); minus[i] -= h;
            double numeric = (Loss(plus.view(x0.shape)) - Loss(minus.view(x0.shape))) / (2 * h);
            double a = analytic.flatten()[i].item<double>();
            Assert.True(Math.Abs(numeric - a) <= 1e-6 * Math.Max(1, Math.Abs(a)), $"{name} element {i}: autograd {a}, finite difference {numeric}");
        }
    }

    [Theory]
    [InlineData(DropActBackend.Fast)]
    [InlineData(DropActBackend.Portable)]
    public void Masks_are_reproducible_from_the_seed_and_independent_of_threads(DropActBackend backend)
    {
        using var scope = torch.NewDisposeScope();
        var x = -torch.rand(500_000) - 0.1;
        int threads = torch.get_num_threads();
        int kernelThreads = ReluDropActCpuKernel.MaxWorkers;
        try
        {
            Tensor Run(int seed, int nThreads)
            {
                torch.set_num_threads(nThreads);
                ReluDropActCpuKernel.MaxWorkers = nThreads; // the kernel itself on 1 or 2 threads
                torch.manual_seed(seed);
                return DA.functional.drop_act(x, 0.9, training: true, backend: backend);
            }
            var a = Run(42, 2);
            var b = Run(42, 2);
            var c = Run(43, 2);
            var d = Run(42, 1);
            Assert.True(a.Same(b), "same seed gave another mask");
            Assert.False(a.Same(c), "another seed gave the same mask");
            Assert.True(a.Same(d), "the mask depends on the number of threads");
        }
        finally
        {
            torch.set_num_threads(threads);
            ReluDropActCpuKernel.MaxWorkers = kernelThreads;
        }
    }

    [Fact]
    public void Fast_and_portable_paths_agree_for_the_same_mask_and_in_their_statistics()
    {
        const double p = 0.95;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(8);
        var data = torch.randn(64, 16, 8, 8);
        var upstream = torch.randn_like(data);

        var xf = data.clone().requires_grad_(true);
        torch.manual_seed(123);
        var yf = DA.functional.drop_act(xf, p, backend: DropActBackend.Fast);
        (yf * upstream).sum().backward();
        torch.manual_seed(123);
        var keep = ReluDropActCpuKernel.KeepMask(data.shape, p, ReluDropActCpuKernel.DrawSeed());

        var xp = data.clone().requires_grad_(true);
        var yp = DA.functional.drop_act_with_mask(xp, keep);
        (yp * upstream).sum().backward();
        Assert.True(yf.Same(yp));
        Assert.True(xf.grad!.Same(xp.grad!));

        // Same drop statistics: the kept fraction of each path's mask agrees with p (4σ).
        long n = keep.numel();
        Stats.FrequencyWithin(keep.to_type(ScalarType.Float64).mean().item<double>(), p, n, 4, "fast mask keep rate");
        var portableKeep = DA.functional.keep_mask(data, p);
        Stats.FrequencyWithin(portableKeep.to_type(ScalarType.Float64).mean().item<double>(), p, n, 4, "portable mask keep rate");
    }

    [Fact]
    public void Fast_mask_has_no_structure_across_block_boundaries_or_neighbours()
    {
        // Runs of the dropped/kept pattern must look independent: the fraction of dropped
        // elements whose right neighbour is also dropped should be 1-p (4σ).
        const double p = 0.9;
        using var scope = torch.NewDisposeScope();
        var keep = ReluDropActCpuKernel.KeepMask(new long[] { 3_000_000 }, p, 12345);
        var dropped = keep.logical_not();
        var pairs = dropped[..^1].logical_and(dropped[1..]).sum().item<long>();
        var singles = dropped[..^1].sum().item<long>();
        Stats.FrequencyWithin((double)pairs / singles, 1 - p, singles, 4, "P(next dropped | dropped)");
        // Per 64K block the drop rate is also right (no block gets a degenerate stream).
        var perBlock = dropped[..(45 * ReluDropActCpuKernel.BlockSize)].view(45, ReluDropActCpuKernel.BlockSize).to_type(ScalarType.Float64).mean(new long[] { 1 });
        var worst = (perBlock - (1 - p)).abs().max().item<double>();
        Assert.True(worst < 5 * Math.Sqrt(p * (1 - p) / ReluDropActCpuKernel.BlockSize), $"a block's drop rate is off by {worst}");
    }

    [Fact]
    public void Works_under_no_grad_in_dispose_scopes_for_any_shape_and_dtype()
    {
        var shapes = new[] { Array.Empty<long>(), new long[] { 7 }, new long[] { 3, 0, 2 }, new long[] { 2, 3, 4, 5, 6 }, new long[] { 70_000, 3 } };
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.BFloat16, ScalarType.Float16 })
        {
            foreach (var shape in shapes)
            {
                using var scope = torch.NewDisposeScope();
                var x = torch.randn(shape, dtype: dtype);
                using (torch.no_grad())
                {
                    var y = DA.functional.drop_act(x, 0.9, training: true);
                    Assert.Equal(x.shape, y.shape);
                    Assert.Equal(dtype, y.dtype);
                    Assert.False(y.requires_grad);
                    var e = DA.functional.drop_act(x, 0.9, training: false);
                    Assert.Equal(x.shape, e.shape);
                }
                var xg = x.clone().requires_grad_(true);
                var yg = DA.functional.drop_act(xg, 0.9, training: true);
                yg.sum().backward();
                Assert.Equal(x.shape, xg.grad!.shape);
            }
        }
    }

    [Fact]
    public void Fast_backend_refuses_what_it_cannot_do_and_auto_falls_back()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(100);
        Assert.Throws<NotSupportedException>(() => DA.functional.drop_act(x, 0.9, true, ElementwiseActivation.Tanh, DropActBackend.Fast));
        Assert.Throws<NotSupportedException>(() => DA.functional.drop_act(x.to_type(ScalarType.Float16), 0.9, true, null, DropActBackend.Fast));
        var y = DA.functional.drop_act(x.to_type(ScalarType.Float16), 0.9, true);
        Assert.Equal(ScalarType.Float16, y.dtype);
    }
}
