using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// Autograd node for the fast CPU ReLU Drop-Activation: forward and backward are
/// <see cref="ReluDropActCpuKernel"/>. Saves the output and the sparse dropped-position list.
/// </summary>
internal sealed class ReluDropActFunction : autograd.SingleTensorFunction<ReluDropActFunction>
{
    private const string DroppedKey = "dropped";

    public override string Name => "DropActReLUBackward";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var p = (double)vars[1];
        var seed = (ulong)vars[2];
        var y = ReluDropActCpuKernel.Forward(x, p, seed, out var dropped);
        ctx.save_for_backward(new List<Tensor> { y });
        ctx.save_data(DroppedKey, dropped);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var y = saved[0];
        var dropped = (DroppedPositions)ctx.get_data(DroppedKey);
        var gradInput = ReluDropActCpuKernel.Backward(grad_output, y, dropped);
        // Release what backward no longer needs right away; holding it raises peak memory.
        grad_output.Dispose();
        foreach (var t in saved) t.Dispose();
        // One gradient per forward argument: x, then none for p and the seed.
        return new List<Tensor> { gradInput, null!, null! };
    }
}
