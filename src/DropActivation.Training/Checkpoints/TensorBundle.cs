using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training.Checkpoints;

/// <summary>
/// A named list of tensors in a small self-describing binary layout: count, then per tensor its
/// name, dtype, shape and raw little-endian bytes. Used for the model, optimizer and RNG sections
/// of a checkpoint.
/// </summary>
public static class TensorBundle
{
    private const int MaxRank = 16;

    /// <summary>Writes <paramref name="tensors"/> (copied to CPU) to <paramref name="writer"/>.</summary>
    public static void Write(BinaryWriter writer, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var list = tensors.ToList();
        writer.Write(list.Count);
        foreach (var (name, tensor) in list)
        {
            using var scope = torch.NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            writer.Write(name);
            writer.Write((int)cpu.dtype);
            writer.Write(cpu.dim());
            foreach (var d in cpu.shape) writer.Write(d);
            var bytes = cpu.bytes;
            writer.Write((long)bytes.Length);
            writer.Write(bytes);
        }
    }

    /// <summary>Reads a bundle written by <see cref="Write"/>; the caller owns (and disposes) the tensors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a bundle (truncated or corrupt).</exception>
    public static Dictionary<string, Tensor> Read(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"tensor count {count} is impossible");
        var result = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                var dtype = (ScalarType)reader.ReadInt32();
                if (!Enum.IsDefined(dtype)) throw new InvalidDataException($"tensor '{name}' has unknown dtype {(int)dtype}");
                long rank = reader.ReadInt64();
                if (rank < 0 || rank > MaxRank) throw new InvalidDataException($"tensor '{name}' has rank {rank}");
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = reader.ReadInt64();
                long length = reader.ReadInt64();
                if (length < 0 || length > reader.BaseStream.Length) throw new InvalidDataException($"tensor '{name}' claims {length} bytes");
                // Checked against the shape before allocating: a corrupt shape must not ask for an absurd tensor.
                long elements = shape.Any(d => d < 0) ? -1 : shape.Aggregate(1L, (n, d) => checked(n * d));
                using (var probe = torch.empty(0, dtype: dtype))
                    if (elements < 0 || checked(elements * probe.ElementSize) != length)
                        throw new InvalidDataException($"tensor '{name}' has {length} bytes for shape [{string.Join(",", shape)}] of {dtype}");
                var bytes = reader.ReadBytes(checked((int)length));
                if (bytes.Length != length) throw new EndOfStreamException($"tensor '{name}' is cut short");
                var t = torch.empty(shape, dtype: dtype);
                t.bytes = bytes;
                result[name] = t.DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }
}
