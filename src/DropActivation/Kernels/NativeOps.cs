using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// libtorch operators that TorchSharp does not expose as methods, reached through a small
/// TorchScript compilation unit (compiled once; a call costs a few microseconds). They run on
/// libtorch's own threads with libtorch's split of the elements, like the ReLU they replace.
/// </summary>
internal static class NativeOps
{
    private const string Script =
        "def threshold_backward(grad: Tensor, output: Tensor) -> Tensor:\n" +
        "    return torch.threshold_backward(grad, output, 0.0)\n";

    private static readonly Lazy<jit.CompilationUnit> Unit = new(() => torch.jit.compile(Script), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>ReLU's own backward: <paramref name="grad"/> where <paramref name="output"/> &gt; 0, else 0.</summary>
    public static Tensor ThresholdBackward(Tensor grad, Tensor output) =>
        (Tensor)Unit.Value.invoke("threshold_backward", grad, output);
}
