namespace DropActivation.Data.Augmentation;

/// <summary>
/// A reusable planar uint8 image (C×H×W) with a scratch array for transforms that need a copy of
/// their input. One per worker thread; the arrays grow as needed and are never shrunk.
/// </summary>
public sealed class ImageBuffer
{
    private byte[] _data = new byte[3 * 32 * 32];
    private byte[] _scratch = new byte[3 * 32 * 32];

    /// <summary>Channels (1 or 3).</summary>
    public int Channels { get; private set; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Pixels per channel plane.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>Number of bytes in use: C·H·W.</summary>
    public int Length => Channels * Height * Width;

    /// <summary>The backing array; only the first <see cref="Length"/> bytes are the image.</summary>
    public byte[] Data => _data;

    /// <summary>The pixels in use.</summary>
    public Span<byte> Pixels => _data.AsSpan(0, Length);

    /// <summary>One channel plane (row-major H×W).</summary>
    public Span<byte> Plane(int channel) => _data.AsSpan(channel * PlaneSize, PlaneSize);

    /// <summary>Sets the shape (keeping the array when it is large enough) and returns the pixels to fill.</summary>
    public Span<byte> Reset(int channels, int height, int width)
    {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(channels), $"image shape {channels}x{height}x{width} is empty");
        int n = checked(channels * height * width);
        if (_data.Length < n) _data = new byte[n];
        Channels = channels; Height = height; Width = width;
        return _data.AsSpan(0, n);
    }

    /// <summary>A scratch array of at least <paramref name="length"/> bytes, for a transform's output.</summary>
    public byte[] Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new byte[length];
        return _scratch;
    }

    /// <summary>Makes the scratch array (filled by a transform) the image, with the given shape.</summary>
    public void SwapScratch(int channels, int height, int width)
    {
        (_data, _scratch) = (_scratch, _data);
        Channels = channels; Height = height; Width = width;
    }

    /// <summary>Copies pixels and shape from <paramref name="other"/>.</summary>
    public void CopyFrom(ImageBuffer other)
    {
        other.Pixels.CopyTo(Reset(other.Channels, other.Height, other.Width));
    }
}
