using System.Runtime.InteropServices;
using DropActivation.Kernels;
using DropActivation.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

/// <summary>
/// The autograd patterns PyTorch's own ReLU supports, on both backends of both random layers:
/// backward twice with retain_graph, an output changed in place before backward, a second
/// derivative (create_graph, a gradient penalty), a non-contiguous upstream gradient, zero-size and
/// 0-dimensional inputs. None may kill the process; each gives the right gradient or a catchable,
/// clear exception. Every layer here is piecewise linear, so its exact derivative at x is y/x
/// (x != 0), read back from the output it produced.
/// </summary>
public class AutogradPatternTests
{
    public static TheoryData<string, DropActBackend> Layers => new()
    {
        { "dropact", DropActBackend.Fast },
        { "dropact", DropActBackend.Portable },
        { "rrelu", DropActBackend.Fast },
        { "rrelu", DropActBackend.Portable },
    };

    private static Tensor Apply(string layer, Tensor x, DropActBackend backend) => layer == "dropact"
        ? DA.functional.drop_act(x, 0.7, training: true, backend: backend)
        : DA.functional.rrelu(x, training: true, backend: backend);

    /// <summary>Input with no exact zeros, so y/x is the derivative everywhere.</summary>
    private static Tensor NonZeroInput(params long[] shape)
    {
        var x = torch.randn(shape, dtype: ScalarType.Float64);
        return torch.where(x.abs().lt(1e-3), torch.full_like(x, 0.5), x);
    }

    private static Tensor Slope(Tensor y, Tensor x) => (y.detach() / x.detach());

    [Theory]
    [MemberData(nameof(Layers))]
    public void Backward_twice_with_retain_graph_gives_the_same_gradient_twice(string layer, DropActBackend backend)
    {
        using var scope = torch.NewDisposeScope();
        var x = NonZeroInput(64, 33).requires_grad_(true);
        var y = Apply(layer, x, backend);
        var upstream = torch.randn_like(y);
        var loss = (y * upstream).sum();
        loss.backward(retain_graph: true);
        var first = x.grad!.clone();
        Assert.True(first.allclose(upstream * Slope(y, x), rtol: 1e-9, atol: 1e-12), "first gradient is not upstream · y/x");
        x.grad = null;
        loss.backward();
        Assert.True(x.grad!.allclose(first, rtol: 0, atol: 0), "the second backward gave another gradient");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void An_output_changed_in_place_gives_the_right_gradient_or_a_clear_exception_and_the_next_step_works(string layer, DropActBackend backend)
    {
        using var scope = torch.NewDisposeScope();
        var x = NonZeroInput(16, 9).requires_grad_(true);
        var y = Apply(layer, x, backend);
        var before = y.detach().clone();
        y.mul_(2);
        if (backend == DropActBackend.Portable)
        {
            // The portable forms never read their output in backward: the gradient is exact.
            DA.backward(y.sum());
            Assert.True(x.grad!.allclose(2 * Slope(before, x), rtol: 1e-9, atol: 1e-12));
        }
        else
        {
            // The fast nodes need their output: libtorch's version check refuses it, catchably.
            var e = Assert.Throws<BackwardFailedException>(() => DA.backward(y.sum()));
            Assert.Contains("inplace", e.Message);
            Assert.Contains(layer == "dropact" ? "DropActReLUBackward" : "RandomizedReLUBackward", e.Message);
            Assert.NotNull(e.InnerException);

            // A plain Tensor.backward raises libtorch's own error, which can be caught as well.
            var again = Apply(layer, x, backend);
            again.mul_(3);
            Assert.ThrowsAny<ExternalException>(() => again.sum().backward());
        }

        // The process lives and the next step is exact.
        x.grad = null;
        var z = Apply(layer, x, backend);
        var upstream = torch.randn_like(z);
        DA.backward((z * upstream).sum());
        Assert.True(x.grad!.allclose(upstream * Slope(z, x), rtol: 1e-9, atol: 1e-12));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_gradient_penalty_through_the_layer_has_the_exact_second_derivative(string layer, DropActBackend backend)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var x = torch.randn(6, 5, dtype: ScalarType.Float64).requires_grad_(true);
        var w1 = torch.randn(5, 40, dtype: ScalarType.Float64).requires_grad_(true);
        var w2 = torch.randn(40, 3, dtype: ScalarType.Float64).requires_grad_(true);
        var c = torch.randn(3, dtype: ScalarType.Float64);

        // Network: out = sum((act(x w1) w2) c); penalty = |d out / d x|². Its derivative in w2 runs
        // through the layer's backward (the gradient reaching the layer depends on w2).
        var h = x.matmul(w1);
        var y = Apply(layer, h, backend);
        var output = y.matmul(w2).matmul(c).sum();
        var gx = torch.autograd.grad(new[] { output }, new[] { x }, create_graph: true)[0];
        var penalty = gx.pow(2).sum();
        DA.backward(penalty);

        // Reference: the same network with the realised slopes as constants, plain autograd.
        var slope = Slope(y, h);
        var x2 = x.detach().clone().requires_grad_(true);
        var w1r = w1.detach().clone().requires_grad_(true);
        var w2r = w2.detach().clone().requires_grad_(true);
        var out2 = (x2.matmul(w1r) * slope).matmul(w2r).matmul(c).sum();
        var gx2 = torch.autograd.grad(new[] { out2 }, new[] { x2 }, create_graph: true)[0];
        gx2.pow(2).sum().backward();

        Assert.True(gx.detach().allclose(gx2.detach(), rtol: 1e-9, atol: 1e-12), "first derivative differs");
        Assert.True(w2.grad!.allclose(w2r.grad!, rtol: 1e-8, atol: 1e-10), "second derivative in w2 differs");
        Assert.True(w1.grad!.allclose(w1r.grad!, rtol: 1e-8, atol: 1e-10), "second derivative in w1 differs");
        Assert.True(w2.grad!.abs().sum().item<double>() > 0, "the penalty's gradient in w2 vanished");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_non_contiguous_upstream_gradient_is_read_by_position(string layer, DropActBackend backend)
    {
        using var scope = torch.NewDisposeScope();
        var x = NonZeroInput(7, 12).requires_grad_(true);
        var y = Apply(layer, x, backend);
        var upstream = torch.randn(12, 7, dtype: ScalarType.Float64).t();
        Assert.False(upstream.is_contiguous());
        y.backward(new[] { upstream });
        Assert.True(x.grad!.allclose(upstream * Slope(y, x), rtol: 1e-9, atol: 1e-12));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Zero_size_and_zero_dimensional_inputs_work_forward_and_backward(string layer, DropActBackend backend)
    {
        using var scope = torch.NewDisposeScope();
        var empty = torch.randn(0, 5).requires_grad_(true);
        var y = Apply(layer, empty, backend);
        Assert.Equal(new long[] { 0, 5 }, y.shape);
        y.sum().backward();
        Assert.Equal(new long[] { 0, 5 }, empty.grad!.shape);

        foreach (double value in new[] { -1.5, 2.0 })
        {
            var scalar = torch.tensor(value, dtype: ScalarType.Float64).requires_grad_(true);
            var s = Apply(layer, scalar, backend);
            Assert.Empty(s.shape);
            s.backward();
            Assert.Equal(s.item<double>() / value, scalar.grad!.item<double>(), 12);
        }
    }

    [Fact]
    public void The_TorchSharp_and_libtorch_internals_the_fast_nodes_rely_on_are_there()
    {
        // If this fails after a TorchSharp upgrade, FunctionHygiene's memory fixes are off (results
        // stay right): find the renamed fields and update FunctionHygiene.
        Assert.Empty(FunctionHygiene.MissingInternals());
        Assert.True(AutogradEngine.Available, "libtorch's get_current_graph_task_keep_graph could not be called");
    }
}
