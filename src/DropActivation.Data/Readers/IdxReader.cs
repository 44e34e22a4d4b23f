using static TorchSharp.torch;

namespace DropActivation.Data.Readers;

/// <summary>
/// Reads the IDX format of MNIST, Fashion-MNIST and EMNIST (gzip-compressed or raw): magic
/// 0x00000803 for unsigned-byte images N×H×W, 0x00000801 for unsigned-byte labels N.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an IDX3 image file into a uint8 tensor N×1×H×W; <paramref name="transposed"/> swaps rows and columns (EMNIST).</summary>
    public static Tensor ReadImages(string path, bool transposed = false)
    {
        using var s = DataStreams.OpenMaybeGzip(path);
        return ReadImages(s, path, transposed);
    }

    /// <summary>Reads IDX3 images from a (decompressed) stream; <paramref name="displayName"/> names it in errors.</summary>
    public static unsafe Tensor ReadImages(Stream s, string displayName, bool transposed = false)
    {
        Span<byte> header = stackalloc byte[16];
        DataStreams.ReadExactly(s, header[..4], displayName, "the IDX header");
        uint magic = DataStreams.ReadUInt32BigEndian(header);
        if (magic != 0x00000803)
            throw new DataFormatException(displayName, $"wrong magic number 0x{magic:X8}, expected 0x00000803 (IDX unsigned-byte images, 3 dimensions)");
        DataStreams.ReadExactly(s, header[4..16], displayName, "the IDX header");
        uint n = DataStreams.ReadUInt32BigEndian(header[4..]), h = DataStreams.ReadUInt32BigEndian(header[8..]), w = DataStreams.ReadUInt32BigEndian(header[12..]);
        // One tensor of at most 2 GiB: its memory is addressed as one span.
        if (n == 0 || h == 0 || w == 0 || h > 4096 || w > 4096 || (long)n * h * w > int.MaxValue)
            throw new DataFormatException(displayName, $"implausible dimensions {n}×{h}×{w} in the IDX header");
        DataStreams.ExpectAvailable(s, (long)n * h * w, displayName, $"{n} images of {h}×{w}");
        int plane = (int)(h * w);
        var images = TensorMemory.NewBytes(n, 1, h, w);
        try
        {
            byte* dst = (byte*)TensorMemory.Address(images);
            if (!transposed)
            {
                long total = (long)n * plane, done = 0;
                while (done < total)
                {
                    int chunk = (int)Math.Min(total - done, 1 << 24);
                    DataStreams.ReadExactly(s, new Span<byte>(dst + done, chunk), displayName, $"the pixels of {n} images of {h}×{w} ({total} bytes)");
                    done += chunk;
                }
            }
            else
            {
                var tmp = new byte[plane];
                for (long i = 0; i < n; i++)
                {
                    DataStreams.ReadExactly(s, tmp, displayName, $"image {i} of {n} ({h}×{w})");
                    byte* o = dst + i * plane;
                    // Stored column by column: file[c*h + r] is pixel (r, c) of an h×w image.
                    for (int c = 0; c < w; c++)
                        for (int r = 0; r < h; r++)
                            o[r * w + c] = tmp[c * h + r];
                }
            }
            DataStreams.ExpectEnd(s, displayName, $"{n} images of {h}×{w}");
            return images;
        }
        catch { images.Dispose(); throw; }
    }

    /// <summary>Reads an IDX1 label file; every label must be below <paramref name="numClasses"/>.</summary>
    public static long[] ReadLabels(string path, int numClasses)
    {
        using var s = DataStreams.OpenMaybeGzip(path);
        return ReadLabels(s, path, numClasses);
    }

    /// <summary>Reads IDX1 labels from a (decompressed) stream.</summary>
    public static long[] ReadLabels(Stream s, string displayName, int numClasses)
    {
        Span<byte> header = stackalloc byte[8];
        DataStreams.ReadExactly(s, header[..4], displayName, "the IDX header");
        uint magic = DataStreams.ReadUInt32BigEndian(header);
        if (magic != 0x00000801)
            throw new DataFormatException(displayName, $"wrong magic number 0x{magic:X8}, expected 0x00000801 (IDX unsigned-byte labels, 1 dimension)");
        DataStreams.ReadExactly(s, header[4..8], displayName, "the IDX header");
        uint n = DataStreams.ReadUInt32BigEndian(header[4..]);
        if (n == 0 || n > 100_000_000) throw new DataFormatException(displayName, $"implausible label count {n} in the IDX header");
        DataStreams.ExpectAvailable(s, n, displayName, $"{n} labels");
        var raw = DataStreams.ReadDeclared(s, n, displayName, $"{n} labels");
        DataStreams.ExpectEnd(s, displayName, $"{n} labels");
        var labels = new long[n];
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] >= numClasses) throw new DataFormatException(displayName, $"label {raw[i]} of sample {i} is outside [0, {numClasses})");
            labels[i] = raw[i];
        }
        return labels;
    }

    /// <summary>Reads an image file and its label file into a data set, checking that their counts agree.</summary>
    public static ImageDataset ReadDataset(string name, string imagesPath, string labelsPath, IReadOnlyList<string> classNames, bool transposed = false)
    {
        var labels = ReadLabels(labelsPath, classNames.Count);
        var images = ReadImages(imagesPath, transposed);
        long count = images.shape[0];
        if (count != labels.Length)
        {
            images.Dispose();
            throw new DataFormatException(imagesPath, $"holds {count} images but {labelsPath} holds {labels.Length} labels");
        }
        return new ImageDataset(name, images, labels, classNames);
    }
}
