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

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        FunctionHygiene.ReleaseHandedBack();
        using var output = FunctionHygiene.TakeOutput(ctx);
        if (grad_output is null || grad_output.IsInvalid)
            return new List<Tensor> { null!, null!, null!, null! };
        var gradInput = FunctionHygiene.HandBack(RReluCpuKernel.Backward(grad_output, output,
            (double)ctx.get_data("lower"), (double)ctx.get_data("upper"), (ulong)ctx.get_data("seed")));
        grad_output.Dispose();
        return new List<Tensor> { gradInput, null!, null!, null! };
    }
}
