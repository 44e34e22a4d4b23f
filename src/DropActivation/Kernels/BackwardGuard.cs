using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// Runs the backward of a custom autograd node so that no managed exception ever reaches native
/// code. TorchSharp calls a node's backward from inside libtorch's autograd engine; an exception
/// thrown there cannot unwind through the C++ frames and aborts the process. Instead the exception
/// is recorded (<see cref="BackwardFailures"/>) and the node hands libtorch a gradient of the wrong
/// shape (a 0-dimensional tensor, which no input of these nodes has), so libtorch's own output
/// check fails the backward pass with an ordinary, catchable error. <see cref="DA.backward"/> then
/// rethrows the recorded cause.
/// </summary>
internal static class BackwardGuard
{
    // One 0-dimensional tensor for every failure: allocating during a failure could fail too.
    private static readonly Tensor Rejected = torch.zeros(Array.Empty<long>()).DetachFromDisposeScope();

    /// <summary>Runs <paramref name="body"/>; on any exception, records it and returns a gradient libtorch rejects.</summary>
    public static List<Tensor> Run(string node, int gradients, Func<List<Tensor>> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            BackwardFailures.Record(node, e);
            var result = new List<Tensor>(gradients) { Rejected };
            for (int i = 1; i < gradients; i++) result.Add(null!);
            return result;
        }
    }
}
