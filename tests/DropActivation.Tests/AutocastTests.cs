using DropActivation.Layout;
using DropActivation.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

/// <summary>DA.Autocast: libtorch's CPU autocast for the calling thread, restored when the scope ends.</summary>
public class AutocastTests
{
    [Fact]
    public void The_scope_switches_restores_and_nests_on_its_own_thread_only()
    {
        var dtype = Autocast.DType;
        Assert.False(Autocast.IsEnabled);
        using (DA.Autocast())
        {
            Assert.Equal((true, ScalarType.BFloat16), (Autocast.IsEnabled, Autocast.DType));
            using (DA.Autocast(ScalarType.Float16)) Assert.Equal((true, ScalarType.Float16), (Autocast.IsEnabled, Autocast.DType));
            using (DA.Autocast(enabled: false)) Assert.False(Autocast.IsEnabled);
            Assert.Equal((true, ScalarType.BFloat16), (Autocast.IsEnabled, Autocast.DType));
            bool other = true;
            var thread = new Thread(() => other = Autocast.IsEnabled);
            thread.Start();
            thread.Join();
            Assert.False(other, "autocast leaked to another thread");
        }
        Assert.Equal((false, dtype), (Autocast.IsEnabled, Autocast.DType));

        Assert.Throws<TimeoutException>(void () => { using (DA.Autocast(ScalarType.Float16)) throw new TimeoutException(); });
        Assert.Equal((false, dtype), (Autocast.IsEnabled, Autocast.DType));
        Assert.Throws<ArgumentOutOfRangeException>(() => DA.Autocast(ScalarType.Float64));

        var open = DA.Autocast();
        Exception? elsewhere = null;
        var closer = new Thread(() => { try { open.Dispose(); } catch (Exception e) { elsewhere = e; } });
        closer.Start();
        closer.Join();
        Assert.IsType<InvalidOperationException>(elsewhere);
        open.Dispose();
        Assert.False(Autocast.IsEnabled);
    }

    [Fact]
    public void Inside_the_scope_convolutions_and_linear_layers_compute_in_bfloat16_and_losses_in_float32()
    {
        using var scope = torch.NewDisposeScope();
        var conv = nn.Conv2d(3, 4, 3);
        var linear = nn.Linear(6, 2);
        var image = torch.randn(2, 3, 8, 8);
        var row = torch.randn(5, 6);
        Assert.Equal((ScalarType.Float32, ScalarType.Float32), (conv.call(image).dtype, linear.call(row).dtype));
        using (DA.Autocast())
        {
            var logits = linear.call(row);
            Assert.Equal((ScalarType.BFloat16, ScalarType.BFloat16, ScalarType.BFloat16),
                (conv.call(image).dtype, logits.dtype, torch.matmul(row, row.t()).dtype));
            Assert.Equal(ScalarType.Float32, nn.functional.cross_entropy(logits, torch.zeros(5, dtype: ScalarType.Int64)).dtype);
        }
        Assert.Equal(ScalarType.Float32, conv.call(image).dtype);
    }

    [Fact]
    public void A_small_models_backward_under_the_scope_gives_float32_gradients_on_float32_parameters()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var model = nn.Sequential(nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), DA.DropAct(), nn.Flatten(), nn.Linear(8 * 64, 10)).ToChannelsLast();
        var x = torch.randn(4, 3, 8, 8).ToChannelsLast();
        Tensor loss;
        using (DA.Autocast())
        {
            var hidden = ((nn.Module<Tensor, Tensor>)model[0]).call(x);
            Assert.Equal(ScalarType.BFloat16, DA.functional.drop_act(hidden, 0.9).dtype);
            loss = nn.functional.cross_entropy(model.forward(x), torch.arange(4));
        }
        loss.backward();
        foreach (var parameter in model.parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
            Assert.True(parameter.grad!.isfinite().all().item<bool>() && parameter.grad!.abs().sum().item<float>() > 0);
        }
    }
}
