using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// Autograd node for the fast CPU ReLU Drop-Activation: forward and backward are
/// <see cref="ReluDropActCpuKernel"/>. Keeps the output (a detached alias: no copy) and the sparse
/// dropped-position list for backward; see <see cref="FunctionHygiene"/> for what keeps memory flat.
/// </summary>
internal sealed class ReluDropActFunction : autograd.SingleTensorFunction<ReluDropActFunction>
{
    private const string DroppedKey = "dropped";

    public override string Name => "DropActReLUBackward";

    /// <summary>Applies the node: y with a backward that passes the gradient where x &gt; 0 or dropped.</summary>
    public static Tensor Apply(Tensor x, double p, ulong seed)
    {
        FunctionHygiene.ReleaseHandedBack();
        return FunctionHygiene.AfterApply(apply(x, p, seed));
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        FunctionHygiene.OnForward(ctx);
        var y = ReluDropActCpuKernel.Forward((Tensor)vars[0], (double)vars[1], (ulong)vars[2], record: true, out var dropped);
        FunctionHygiene.KeepOutput(ctx, y);
        ctx.save_data(DroppedKey, dropped!);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        FunctionHygiene.ReleaseHandedBack();
        var dropped = (DroppedPositions)ctx.get_data(DroppedKey);
        using var output = FunctionHygiene.TakeOutput(ctx);
        if (grad_output is null || grad_output.IsInvalid)
        {
            dropped.Release();
            return new List<Tensor> { null!, null!, null! };
        }
        var gradInput = FunctionHygiene.HandBack(ReluDropActCpuKernel.Backward(grad_output, output, dropped));
        dropped.Release();
        grad_output.Dispose(); // holding it raises peak memory
        // One gradient per forward argument: x, then none for p and the seed.
        return new List<Tensor> { gradInput, null!, null! };
    }
}
