using DropActivation.Kernels;
using DropActivation.Layout;
using DropActivation.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

/// <summary>
/// The fast kernels on bfloat16 and on channels-last tensors pass the checks float32 NCHW passes, work in the
/// input's memory order (the mask and the RReLU slopes follow memory positions) and hand back its strides.
/// </summary>
public class LayoutKernelTests
{
    public static TheoryData<ScalarType, bool> Cases() => new()
    {
        { ScalarType.Float32, false }, { ScalarType.Float32, true }, { ScalarType.BFloat16, false }, { ScalarType.BFloat16, true },
    };

    private static Tensor Make(Tensor nchw, ScalarType dtype, bool channelsLast)
    {
        var t = nchw.to_type(dtype);
        return channelsLast ? t.ToChannelsLast() : t;
    }

    /// <summary>randn(4, 16, 37, 41) drawn after manual_seed(seed), in the dtype and layout asked for.</summary>
    private static Tensor Seeded(int seed, ScalarType dtype, bool channelsLast)
    {
        torch.manual_seed(seed);
        return Make(torch.randn(4, 16, 37, 41), dtype, channelsLast);
    }

    /// <summary>A tensor of per-position values (in memory order) laid out as <paramref name="like"/>.</summary>
    private static Tensor AtMemoryPositions(Tensor flat, Tensor like) => flat.as_strided(like.shape, like.stride());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Drop_share_positives_and_eval_form_hold_with_the_inputs_strides(ScalarType dtype, bool channelsLast)
    {
        const double p = 0.95;
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(17);
        var x = Make(-(torch.rand(40, 16, 128, 128) + 0.01), dtype, channelsLast);
        Assert.Equal(channelsLast, !x.is_contiguous());
        var y = DA.functional.drop_act(x, p, training: true, backend: DropActBackend.Fast);
        Assert.Equal(x.stride(), y.stride());
        Assert.Equal(dtype, y.dtype);
        double passed = y.eq(x).to_type(ScalarType.Float64).mean().item<double>();
        Stats.FrequencyWithin(passed, 1 - p, x.numel(), 4, $"identity share, {dtype}, channels-last {channelsLast}");
        Assert.Equal(1.0, passed + y.eq(0).to_type(ScalarType.Float64).mean().item<double>(), 12);

        var positive = x.neg();
        Assert.True(DA.functional.drop_act(positive, p, training: true, backend: DropActBackend.Fast).Same(positive));

        var small = Make(torch.randn(8, 16, 20, 24), dtype, channelsLast);
        var eval = DA.functional.drop_act(small, p, training: false);
        var expected = torch.where(small.gt(0), small, small.to_type(ScalarType.Float32).mul(1 - p).to_type(dtype));
        Assert.True(eval.Same(expected), "evaluation output differs from (1-p)x + p relu(x)");
        Assert.Equal(small.stride(), eval.stride());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Drop_act_gradient_equals_autograd_of_the_reference_formula_with_the_same_mask(ScalarType dtype, bool channelsLast)
    {
        const double p = 0.9;
        using var scope = torch.NewDisposeScope();
        var data = Seeded(21, dtype, channelsLast);
        data[0, 0] = torch.zeros(37, 41, dtype: dtype);
        data[0, 1] = torch.full(37, 41, -0.0, dtype: dtype);
        var upstream = torch.randn(4, 16, 37, 41).to_type(dtype); // NCHW whatever the input: backward re-strides it

        var x1 = data.clone().requires_grad_(true);
        torch.manual_seed(99);
        var y1 = DA.functional.drop_act(x1, p, training: true, backend: DropActBackend.Fast);
        (y1 * upstream).sum().backward();

        torch.manual_seed(99);
        var keep = AtMemoryPositions(ReluDropActCpuKernel.KeepMask([data.numel()], p, ReluDropActCpuKernel.DrawSeed()), data);
        var x2 = data.clone().requires_grad_(true);
        var y2 = torch.where(keep.logical_and(x2.le(0)), torch.zeros(1, dtype: dtype), x2);
        (y2 * upstream).sum().backward();

        Assert.Equal(data.stride(), y1.stride());
        Assert.True(y1.Same(y2), "outputs differ from where(P & x <= 0, 0, x) for the same mask");
        Assert.True(x1.grad!.Same(x2.grad!), "gradients differ from autograd of the reference formula");
        Assert.True(keep[0, ..2].logical_not().any().item<bool>(), "no dropped exact zero: the recorded-zero path went untested");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rrelu_equals_the_formula_with_its_slopes_in_memory_order(ScalarType dtype, bool channelsLast)
    {
        using var scope = torch.NewDisposeScope();
        var data = Seeded(5, dtype, channelsLast);
        var upstream = torch.randn(4, 16, 37, 41).to_type(dtype);
        var x = data.clone().requires_grad_(true);
        torch.manual_seed(3);
        var y = DA.functional.rrelu(x, backend: DropActBackend.Fast);
        (y * upstream).sum().backward();

        torch.manual_seed(3);
        var slopes = new float[data.numel()];
        CounterUniform.Fill(ReluDropActCpuKernel.DrawSeed(), 0, (float)DA.DefaultRReLULower, (float)DA.DefaultRReLUUpper, slopes);
        var slope = AtMemoryPositions(torch.tensor(slopes), data);
        var negative = data.lt(0);
        Assert.Equal(data.stride(), y.stride());
        Assert.True(y.Same(torch.where(negative, data.to_type(ScalarType.Float32) * slope, data.to_type(ScalarType.Float32)).to_type(dtype)));
        Assert.True(x.grad!.Same(torch.where(negative, upstream.to_type(ScalarType.Float32) * slope, upstream.to_type(ScalarType.Float32)).to_type(dtype)));
    }

    [Fact]
    public void Dense_inputs_keep_their_memory_order_and_others_are_copied()
    {
        using var scope = torch.NewDisposeScope();
        var baseline = torch.randn(400, 300);
        torch.manual_seed(4);
        var transposed = DA.functional.drop_act(baseline.t(), 0.8);
        torch.manual_seed(4);
        Assert.True(transposed.Same(DA.functional.drop_act(baseline, 0.8).t()), "a transposed input does not get its storage's mask");
        Assert.Equal(baseline.t().stride(), transposed.stride());

        var strided = torch.randn(300, 800).slice(1, 0, 800, 2);
        torch.manual_seed(4);
        var a = DA.functional.drop_act(strided, 0.8);
        torch.manual_seed(4);
        Assert.True(a.Same(DA.functional.drop_act(strided.contiguous(), 0.8)));
    }
}

public class ChannelsLastTests
{
    [Fact]
    public void A_tensor_gets_nhwc_strides_and_keeps_its_values()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 4, 5);
        var c = x.ToChannelsLast();
        Assert.Equal(new long[] { 60, 1, 15, 3 }, c.stride());
        Assert.True(c.IsChannelsLast() && !x.IsChannelsLast() && c.Same(x));
        Assert.True(torch.randn(2, 3, 1, 1).IsChannelsLast(), "sizes of 1 do not decide the layout");
        Assert.Throws<ArgumentException>(() => torch.randn(3, 4).ToChannelsLast());
    }

    [Fact]
    public void A_module_is_restrided_in_place_and_trains_with_an_optimizer_made_before()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var model = nn.Sequential(nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), DA.DropAct(), nn.Conv2d(8, 4, 1));
        var before = model.parameters().ToList();
        var values = before.Select(t => t.detach().clone()).ToList();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        Assert.Same(model, model.ToChannelsLast());

        var after = model.parameters().ToList();
        Assert.True(before.Zip(after).All(pair => ReferenceEquals(pair.First, pair.Second)), "parameters were replaced");
        Assert.True(after.Where(t => t.dim() == 4).All(t => t.IsChannelsLast() && !t.is_contiguous() || t.shape[2] == 1));
        Assert.True(after.Zip(values).All(pair => pair.First.Same(pair.Second)), "values changed");

        var x = torch.randn(2, 3, 8, 8).ToChannelsLast();
        var hidden = ((nn.Module<Tensor, Tensor>)model[2]).call(((nn.Module<Tensor, Tensor>)model[1]).call(((nn.Module<Tensor, Tensor>)model[0]).call(x)));
        Assert.True(hidden.IsChannelsLast(), "Drop-Activation lost the layout between the layers");
        model.forward(x).square().sum().backward();
        optimizer.step();
        Assert.True(after.Zip(values).Any(pair => !pair.First.Same(pair.Second)), "the optimizer made before the conversion did not move the parameters");
        Assert.True(after[0].IsChannelsLast());
    }
}
