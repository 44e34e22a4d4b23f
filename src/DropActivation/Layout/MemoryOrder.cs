using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Layout;

/// <summary>
/// Element-wise kernels on a tensor in its own memory order: any dense, non-overlapping layout (contiguous,
/// channels-last, any permutation) is one run of numel elements from its data pointer, so a kernel walks that run and
/// writes an output with the same strides; only other layouts (gaps, overlaps) are copied to a contiguous tensor first.
/// </summary>
internal static class MemoryOrder
{
    /// <summary>Whether the elements fill numel consecutive slots (sizes of 1 ignored), in some order of the dimensions.</summary>
    public static bool IsDense(Tensor t)
    {
        if (t.is_contiguous()) return true;
        var (shape, strides) = (t.shape, t.stride());
        long expected = 1;
        foreach (int d in Enumerable.Range(0, shape.Length).Where(d => shape[d] != 1).OrderBy(d => strides[d]))
        {
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>An alias of a dense tensor, else a contiguous copy.</summary>
    public static Tensor Dense(Tensor t) => IsDense(t) ? t.alias() : t.contiguous();

    /// <summary>A new uninitialised tensor with the shape, strides and dtype of a dense <paramref name="layout"/>.</summary>
    public static Tensor EmptyLike(Tensor layout) => torch.empty_strided(layout.shape, layout.stride(), layout.dtype, layout.device);

    /// <summary><paramref name="t"/> itself (an alias) when it has the strides of <paramref name="layout"/>, else a copy with them.</summary>
    public static Tensor Like(Tensor t, Tensor layout)
    {
        if (t.stride().SequenceEqual(layout.stride())) return t.alias();
        var copy = EmptyLike(layout);
        return copy.copy_(t);
    }

    /// <summary>The address of a dense CPU tensor's first element in memory.</summary>
    public static unsafe void* Address(Tensor t)
    {
        if (t.is_contiguous()) return Address(t.bytes);
        using var run = t.as_strided([t.numel()], [1], t.storage_offset());
        return Address(run.bytes);
    }

    private static unsafe void* Address(Span<byte> bytes) => System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
}
