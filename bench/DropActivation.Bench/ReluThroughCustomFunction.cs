using DropActivation.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Bench;

/// <summary>
/// ReLU whose forward and backward are libtorch's own (relu, threshold_backward) but which goes
/// through a TorchSharp custom autograd function, with the same memory hygiene as the fast
/// Drop-Activation node. Its cost over nn.ReLU is what the custom-function machinery alone costs:
/// the floor for any kernel that needs its own autograd node.
/// </summary>
internal sealed class ReluThroughCustomFunction : nn.Module<Tensor, Tensor>
{
    public ReluThroughCustomFunction() : base(nameof(ReluThroughCustomFunction)) { }

    public override Tensor forward(Tensor input) => training ? Node.Apply(input) : nn.functional.relu(input);

    /// <summary>ReLU's own backward, which TorchSharp does not expose, through a one-line TorchScript unit.</summary>
    private static readonly Lazy<jit.CompilationUnit> ThresholdBackward = new(() => torch.jit.compile(
        "def threshold_backward(grad: Tensor, output: Tensor) -> Tensor:\n" +
        "    return torch.threshold_backward(grad, output, 0.0)\n"));

    private sealed class Node : autograd.SingleTensorFunction<Node>
    {
    
        public override string Name => "ReluThroughCustomFunctionBackward";

        public static Tensor Apply(Tensor x)
        {
            FunctionHygiene.ReleaseHandedBack();
            return FunctionHygiene.AfterApply(apply(x));
        }

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            FunctionHygiene.OnForward(ctx);
            var y = nn.functional.relu((Tensor)vars[0]);
            FunctionHygiene.KeepOutput(ctx, y);
            return y;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
            BackwardGuard.Run(Name, 1, () =>
            {
                FunctionHygiene.ReleaseHandedBack();
                using var output = FunctionHygiene.TakeOutput(ctx, release: !AutogradEngine.KeepsGraph());
                var gradInput = FunctionHygiene.HandBack((Tensor)ThresholdBackward.Value.invoke("threshold_backward", grad_output, output));
                grad_output.Dispose();
                return new List<Tensor> { gradInput };
            });
    }
}
