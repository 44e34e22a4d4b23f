using System.Buffers.Binary;
using System.IO.Compression;

namespace DropActivation.Training.Interop;

/// <summary>
/// Checks the pickle of a PyTorch zip before TorchSharp.PyBridge unpickles it. That reader allocates what the pickle
/// declares (a string's length, a storage's element count, a tensor's shape) before reading it, so a corrupt file
/// could ask for gigabytes. Here every length must fit in the pickle's remaining bytes and every integer (element
/// counts, dimensions, strides, offsets) in what the archive can hold: 1032 times its size, deflate's largest ratio.
/// </summary>
internal static class PickleCheck
{
    // Opcodes of pickle protocols 0-5 by the size of their argument.
    private const string NoArgument = "().012NRQabdelostu}]\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98";
    private const string Line = "FILSVgpP", TwoLines = "ci";

    /// <summary>Throws an <see cref="InvalidDataException"/> when the <c>data.pkl</c> of the zip at <paramref name="path"/> declares more than the file can hold.</summary>
    public static void Check(string path)
    {
        long most = new FileInfo(path).Length * 1032;
        using var zip = ZipFile.OpenRead(path);
        if (zip.Entries.FirstOrDefault(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal)) is not { } entry) return;
        var pickle = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(pickle);
        Walk(pickle.GetBuffer().AsSpan(0, (int)pickle.Length), most);
    }

    private static void Walk(ReadOnlySpan<byte> p, long most)
    {
        for (int i = 0; i < p.Length;)
        {
            int at = i;
            char op = (char)p[i++];
            long n = op switch
            {
                _ when NoArgument.Contains(op) => 0,
                'K' or 'q' or 'h' or '\x80' or '\x82' => 1,
                'M' or '\x83' => 2,
                'J' or 'r' or 'j' or '\x84' => 4,
                'G' or '\x95' => 8,
                'U' or 'C' or '\x8c' or '\x8a' => 1 + Unsigned(p, i, 1),
                'X' or 'T' or 'B' or '\x8b' => 4 + Unsigned(p, i, 4),
                '\x8d' or '\x8e' or '\x96' => 8 + Unsigned(p, i, 8),
                _ when Line.Contains(op) => LineLength(p, i),
                _ when TwoLines.Contains(op) => LineLength(p, i) is var first ? first + LineLength(p, i + (int)first) : 0,
                _ => throw new InvalidDataException($"the pickle has the unknown opcode 0x{(int)op:X2} at byte {at}"),
            };
            if (i + n > p.Length) throw new InvalidDataException($"the pickle's opcode 0x{(int)op:X2} at byte {at} declares {n} bytes, more than its {p.Length - i} remaining");
            long value = op switch { 'K' => p[i], 'M' => Unsigned(p, i, 2), 'J' => BinaryPrimitives.ReadInt32LittleEndian(p[i..]), _ => 0 };
            if (value > most) throw new InvalidDataException($"the pickle declares {value} (a size, shape or offset) at byte {at}, more than the file can hold");
            if (op == '.') return;
            i += (int)n;
        }
        throw new InvalidDataException("the pickle ends without its STOP opcode");
    }

    /// <summary>The little-endian unsigned integer of <paramref name="size"/> bytes at <paramref name="at"/>, at most a quarter of long.MaxValue.</summary>
    private static long Unsigned(ReadOnlySpan<byte> p, int at, int size)
    {
        if (at + size > p.Length) throw new InvalidDataException("the pickle ends inside an opcode");
        ulong v = 0;
        for (int k = size - 1; k >= 0; k--) v = (v << 8) | p[at + k];
        return v > long.MaxValue / 4 ? long.MaxValue / 4 : (long)v;
    }

    /// <summary>Bytes up to and including the next newline.</summary>
    private static long LineLength(ReadOnlySpan<byte> p, int at) =>
        at <= p.Length && p[at..].IndexOf((byte)'\n') is var k and >= 0 ? k + 1 : throw new InvalidDataException("the pickle ends inside an opcode");
}
