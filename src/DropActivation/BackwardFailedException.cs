namespace DropActivation;

/// <summary>
/// The backward pass of a Drop-Activation or RReLU node failed. <see cref="Exception.InnerException"/>
/// is the cause, for example libtorch's "modified by an inplace operation" error when the layer's
/// output was changed in place before backward. Thrown by <see cref="DA.backward"/>; a plain
/// <c>Tensor.backward()</c> raises libtorch's own (catchable) error for the same failure.
/// </summary>
public sealed class BackwardFailedException : InvalidOperationException
{
    public BackwardFailedException(string node, Exception cause)
        : base($"The backward pass of {node} failed: {cause.Message}", cause)
    {
        Node = node;
    }

    /// <summary>The autograd node whose backward failed, e.g. "DropActReLUBackward".</summary>
    public string Node { get; }
}
