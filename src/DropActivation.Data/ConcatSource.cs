using DropActivation.Data.Augmentation;

namespace DropActivation.Data;

/// <summary>Several sources with the same classes and image format, one after the other (SVHN train + extra).</summary>
public sealed class ConcatSource : IDataSource
{
    private readonly IDataSource[] _parts;
    private readonly int[] _starts;

    /// <summary>Joins <paramref name="parts"/>; they must agree on channels, size, classes and pixel range.</summary>
    public ConcatSource(string name, params IDataSource[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("nothing to concatenate", nameof(parts));
        var first = parts[0];
        foreach (var p in parts)
            if (p.Channels != first.Channels || p.FixedSize != first.FixedSize || p.PixelMax != first.PixelMax
                || !p.ClassNames.SequenceEqual(first.ClassNames))
                throw new ArgumentException($"{p.Name} differs in format or classes from {first.Name}", nameof(parts));
        _parts = parts;
        _starts = new int[parts.Length + 1];
        for (int i = 0; i < parts.Length; i++) _starts[i + 1] = checked(_starts[i] + parts[i].Count);
        Name = name;
    }

    /// <summary>The joined sources.</summary>
    public IReadOnlyList<IDataSource> Parts => _parts;

    public string Name { get; }
    public int Count => _starts[^1];
    public int Channels => _parts[0].Channels;
    public (int Height, int Width)? FixedSize => _parts[0].FixedSize;
    public IReadOnlyList<string> ClassNames => _parts[0].ClassNames;
    public int PixelMax => _parts[0].PixelMax;

    private (IDataSource, int) Locate(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        int p = Array.BinarySearch(_starts, index);
        if (p < 0) p = ~p - 1;
        while (_starts[p + 1] <= index) p++;
        return (_parts[p], index - _starts[p]);
    }

    public long GetLabel(int index) { var (s, i) = Locate(index); return s.GetLabel(i); }
    public void ReadImage(int index, ImageBuffer into) { var (s, i) = Locate(index); s.ReadImage(i, into); }
}
