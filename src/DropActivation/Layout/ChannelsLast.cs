using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Layout;

/// <summary>
/// Channels-last (NHWC in memory, NCHW in shape) for TorchSharp, which has no memory-format API: libtorch recognises the
/// layout by its strides, so convolutions, batch norm and pooling keep it and oneDNN skips its reorders. Convert the
/// model (<see cref="ToChannelsLast{T}(T)"/>) and the input batch; <c>contiguous()</c> gives the standard layout back
/// (checkpoints, weight files and ONNX export write that layout whatever the model's).
/// </summary>
public static class ChannelsLast
{
    private static readonly int[] NhwcOrder = [1, 3, 2, 0];

    /// <summary>The same values with channels-last strides (a copy, or the tensor itself if it already has them).</summary>
    /// <exception cref="ArgumentException">Not 4-dimensional.</exception>
    public static Tensor ToChannelsLast(this Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4) throw new ArgumentException($"Channels-last needs a 4-D (N, C, H, W) tensor, got {tensor.dim()}-D.", nameof(tensor));
        if (tensor.IsChannelsLast()) return tensor.alias();
        using var nhwc = tensor.permute(0, 2, 3, 1);
        using var packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }

    /// <summary>Whether a 4-D tensor is packed in NHWC order (dimensions of size 1 may have any stride, as in PyTorch).</summary>
    public static bool IsChannelsLast(this Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4) return false;
        var (shape, strides) = (tensor.shape, tensor.stride());
        long expected = 1;
        foreach (int d in NhwcOrder)
        {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>
    /// Re-strides every 4-D parameter and buffer of <paramref name="module"/> to channels-last in place: the same
    /// <c>Parameter</c> objects (an optimizer made before or after sees them) take the new storage. Returns the module.
    /// </summary>
    public static T ToChannelsLast<T>(this T module) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        using var _ = torch.no_grad();
        foreach (var t in module.parameters().Concat(module.buffers()))
        {
            if (t.dim() != 4 || t.IsChannelsLast()) continue;
            using var packed = t.ToChannelsLast();
            t.set_(packed);
        }
        return module;
    }
}
