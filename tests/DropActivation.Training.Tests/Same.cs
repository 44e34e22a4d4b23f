namespace DropActivation.Training.Tests;

/// <summary>Bit-level tensor equality (same shape, dtype and every element equal), as torch.equal.</summary>
internal static class Same
{
    public static bool Tensors(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
