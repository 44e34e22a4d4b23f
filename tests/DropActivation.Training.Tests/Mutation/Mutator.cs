using System.Buffers.Binary;
using System.Text;

namespace DropActivation.Training.Tests.Mutation;

/// <summary>
/// Seeded mutations of a valid file, in turn: a truncation (fixed lengths first, then random ones), 1–4 flipped
/// bytes (half of the time within the first 64), an absurd value in one of the format's header fields, and an
/// absurd 4- or 8-byte word at a random offset or garbage appended.
/// </summary>
internal static class Mutator
{
    private static readonly long[] Absurd = [0, -1, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 40, 1L << 31, 65536];
    private static readonly string[] AbsurdText = ["-1", "0", "2147483648", "-2147483649", "99999999999999999999", "1e308", "-1e308", "1e-300", "9223372036854775808"];
    private static readonly string[] AbsurdOctal = ["77777777777\0", "00000000000\0", "-0000000001\0", "99999999999\0", "\x80\0\0\0\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"];

    /// <summary><paramref name="count"/> mutations of <paramref name="valid"/>, each with a description.</summary>
    public static IEnumerable<(string What, byte[] Bytes)> Cases(byte[] valid, IReadOnlyList<Field> fields, int count, int seed)
    {
        var rng = new Random(seed);
        int[] cuts = [0, 1, 4, 8, 16, valid.Length / 2, valid.Length - 1];
        for (int i = 0; i < count; i++)
        {
            int k = i / 4, n = valid.Length;
            switch (i % 4)
            {
                case 0:
                    int cut = k < cuts.Length ? Math.Clamp(cuts[k], 0, n - 1) : rng.Next(n);
                    yield return ($"truncated to {cut} of {n} bytes", valid[..cut]);
                    break;
                case 1:
                    var flipped = (byte[])valid.Clone();
                    var at = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => rng.Next(rng.Next(2) == 0 ? Math.Min(64, n) : n)).ToArray();
                    foreach (var o in at) flipped[o] ^= (byte)rng.Next(1, 256);
                    yield return ($"bytes flipped at {string.Join(",", at)}", flipped);
                    break;
                case 2 when fields.Count > 0:
                    var f = fields[rng.Next(fields.Count)];
                    yield return Set(valid, f, rng);
                    break;
                default:
                    if (rng.Next(5) == 0)
                    {
                        var tail = new byte[rng.Next(1, 600)];
                        rng.NextBytes(tail);
                        yield return ($"{tail.Length} garbage bytes appended", [.. valid, .. tail]);
                    }
                    else
                    {
                        int size = rng.Next(2) == 0 ? 4 : 8;
                        yield return Set(valid, new Field(rng.Next(Math.Max(1, n - size)), Math.Min(size, n), rng.Next(2) == 0 ? FieldKind.LittleEndian : FieldKind.BigEndian), rng);
                    }
                    break;
            }
        }
    }

    private static (string, byte[]) Set(byte[] valid, Field f, Random rng)
    {
        if (f.Kind == FieldKind.Decimal)
        {
            var text = AbsurdText[rng.Next(AbsurdText.Length)];
            return ($"number at {f.Offset} set to {text}", [.. valid[..f.Offset], .. Encoding.ASCII.GetBytes(text), .. valid[(f.Offset + f.Size)..]]);
        }
        var b = (byte[])valid.Clone();
        var span = b.AsSpan(f.Offset, f.Size);
        if (f.Kind == FieldKind.Octal)
        {
            var text = AbsurdOctal[rng.Next(AbsurdOctal.Length)];
            Encoding.Latin1.GetBytes(text.PadRight(f.Size, '\0').AsSpan(0, f.Size), span);
            return ($"octal field at {f.Offset} set to {Convert.ToHexString(span)}", b);
        }
        long value = rng.Next(4) == 0 ? valid.Length * 2L + 1 : Absurd[rng.Next(Absurd.Length)];
        Span<byte> word = stackalloc byte[8];
        if (f.Kind == FieldKind.BigEndian) { BinaryPrimitives.WriteInt64BigEndian(word, value); word[(8 - f.Size)..].CopyTo(span); }
        else { BinaryPrimitives.WriteInt64LittleEndian(word, value); word[..f.Size].CopyTo(span); }
        return ($"{f.Size}-byte {(f.Kind == FieldKind.BigEndian ? "big" : "little")}-endian field at {f.Offset} set to {value}", b);
    }
}
