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

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        // One gradient per forward argument: x, then none for p and the seed.
        BackwardGuard.Run(Name, 3, () =>
        {
            FunctionHygiene.ReleaseHandedBack();
            var dropped = (DroppedPositions)ctx.get_data(DroppedKey);
            bool keepGraph = AutogradEngine.KeepsGraph();
            try
            {
                using var output = FunctionHygiene.TakeOutput(ctx, release: !keepGraph);
                if (grad_output is null || grad_output.IsInvalid) return new List<Tensor> { null!, null!, null! };
                Tensor gradInput;
                if (torch.is_grad_enabled())
                {
                    // create_graph: the gradient must itself be differentiable (a gradient penalty
                    // differentiates it again). d(grad_in)/d(grad_out) is the 0/1 mask; its
                    // derivative in x is zero almost everywhere, as for ReLU.
                    using var ones = torch.ones_like(output);
                    using var mask = ReluDropActCpuKernel.Backward(ones, output, dropped);
                    gradInput = grad_output.mul(mask);
                }
                else
                {
                    gradInput = ReluDropActCpuKernel.Backward(grad_output, output, dropped);
                    grad_output.Dispose(); // holding it raises peak memory
                }
                return new List<Tensor> { FunctionHygiene.HandBack(gradInput), null!, null! };
            }
            finally
            {
                if (!keepGraph) dropped.Release();
            }
        });
}
