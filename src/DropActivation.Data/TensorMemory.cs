using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Data;

/// <summary>Raw access to the memory of a contiguous CPU tensor, for readers and augmentation.</summary>
internal static class TensorMemory
{
    /// <summary>Address of the first element of <paramref name="t"/> (contiguous, CPU).</summary>
    public static unsafe nint Address(Tensor t)
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException("tensor must be contiguous and on the CPU", nameof(t));
        if (t.numel() == 0) return 0;
        var bytes = t.bytes;
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
    }

    /// <summary>A new uninitialised uint8 tensor of the given shape.</summary>
    public static Tensor NewBytes(params long[] shape) => torch.empty(shape, dtype: ScalarType.Byte);
}
