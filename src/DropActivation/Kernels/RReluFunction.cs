using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>Autograd node for the fast CPU RReLU: keeps only the output and the seed; backward recomputes the slopes.</summary>
internal sealed class RReluFunction : autograd.SingleTensorFunction<RReluFunction>
{

    public override string Name => "RandomizedReLUBackward";

    public static Tensor Apply(Tensor x, double lower, double upper, ulong seed)
    {
        FunctionHygiene.ReleaseHandedBack();
        return FunctionHygiene.AfterApply(apply(x, lower, upper, seed));
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        FunctionHygiene.OnForward(ctx);
        double lower = (double)vars[1], upper = (double)vars[2];
        ulong seed = (ulong)vars[3];
        var y = RReluCpuKernel.Forward((Tensor)vars[0], lower, upper, seed);
        FunctionHygiene.KeepOutput(ctx, y);
        ctx.save_data("lower", lower);
        ctx.save_data("upper", upper);
        ctx.save_data("seed", seed);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        BackwardGuard.Run(Name, 4, () =>
        {
            FunctionHygiene.ReleaseHandedBack();
            using var output = FunctionHygiene.TakeOutput(ctx, release: !AutogradEngine.KeepsGraph());
            if (grad_output is null || grad_output.IsInvalid)
                return new List<Tensor> { null!, null!, null!, null! };
            double lower = (double)ctx.get_data("lower"), upper = (double)ctx.get_data("upper");
            ulong seed = (ulong)ctx.get_data("seed");
            Tensor gradInput;
            if (torch.is_grad_enabled())
            {
                // create_graph: grad_in = grad_out · slope, differentiable in grad_out.
                using var ones = torch.ones_like(output);
                using var slopes = RReluCpuKernel.Backward(ones, output, lower, upper, seed);
                gradInput = grad_output.mul(slopes);
            }
            else
            {
                gradInput = RReluCpuKernel.Backward(grad_output, output, lower, upper, seed);
                grad_output.Dispose();
            }
            return new List<Tensor> { FunctionHygiene.HandBack(gradInput), null!, null!, null! };
        });
}
