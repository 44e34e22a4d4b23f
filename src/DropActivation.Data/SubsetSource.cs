using DropActivation.Data.Augmentation;

namespace DropActivation.Data;

/// <summary>A view of some samples of another source, in a given order (a train/validation split).</summary>
public sealed class SubsetSource : IDataSource
{
    private readonly IDataSource _inner;
    private readonly int[] _indices;

    /// <summary>Selects <paramref name="indices"/> of <paramref name="inner"/>.</summary>
    public SubsetSource(IDataSource inner, int[] indices, string? name = null)
    {
        foreach (var i in indices)
            if ((uint)i >= (uint)inner.Count) throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} outside [0, {inner.Count})");
        _inner = inner;
        _indices = indices;
        Name = name ?? inner.Name + "/subset";
    }

    /// <summary>Indices into the underlying source.</summary>
    public IReadOnlyList<int> Indices => _indices;

    public string Name { get; }
    public int Count => _indices.Length;
    public int Channels => _inner.Channels;
    public (int Height, int Width)? FixedSize => _inner.FixedSize;
    public IReadOnlyList<string> ClassNames => _inner.ClassNames;
    public int PixelMax => _inner.PixelMax;
    public long GetLabel(int index) => _inner.GetLabel(_indices[index]);
    public void ReadImage(int index, ImageBuffer into) => _inner.ReadImage(_indices[index], into);
}
