using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace DropActivation.Data.Readers;

/// <summary>
/// Reads SVHN format-2 files (<c>train_32x32.mat</c>, <c>test_32x32.mat</c>, <c>extra_32x32.mat</c>):
/// MATLAB level-5 MAT files, compressed (miCOMPRESSED, zlib) or not, holding <c>X</c>
/// (uint8 32×32×3×N, column-major) and <c>y</c> (N×1, any numeric type; 10 means digit 0).
/// </summary>
public static class SvhnMatReader
{
    /// <summary>SVHN's classes: the digits, label 10 of the file mapped to 0.</summary>
    public static readonly string[] Classes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7,
        MiDouble = 9, MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15;

    /// <summary>Reads one SVHN .mat file into a data set named <paramref name="name"/>.</summary>
    public static ImageDataset Read(string path, string? name = null)
    {
        if (!File.Exists(path)) throw new DataNotFoundException($"{path}: file not found", path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = new byte[128];
        DataStreams.ReadExactly(fs, header, path, "the 128-byte MAT-file header");
        var text = Encoding.ASCII.GetString(header, 0, 116);
        if (!text.StartsWith("MATLAB 5.0 MAT-file", StringComparison.Ordinal))
        {
            if (text.StartsWith("MATLAB 7.3", StringComparison.Ordinal))
                throw new DataFormatException(path, "is a MATLAB 7.3 (HDF5) file; SVHN format 2 uses MATLAB level-5 files");
            throw new DataFormatException(path, "wrong magic: not a MATLAB level-5 MAT file (header text does not start with 'MATLAB 5.0 MAT-file')");
        }
        if (header[126] == (byte)'M' && header[127] == (byte)'I')
            throw new DataFormatException(path, "big-endian MAT files are not supported");
        if (header[126] != (byte)'I' || header[127] != (byte)'M')
            throw new DataFormatException(path, "wrong endian indicator in the MAT header (expected 'IM')");

        Tensor? images = null;
        long[]? labels = null;
        try
        {
            long fileLength = fs.Length;
            var tag = new byte[8];
            while (fs.Position < fileLength)
            {
                long start = fs.Position;
                if (fileLength - start < 8) throw new DataFormatException(path, $"truncated: {fileLength - start} stray bytes at offset {start}");
                DataStreams.ReadExactly(fs, tag, path, "a data element tag");
                int type = BinaryPrimitives.ReadInt32LittleEndian(tag);
                long nbytes = BinaryPrimitives.ReadUInt32LittleEndian(tag.AsSpan(4));
                if ((type >> 16) != 0) { fs.Position = start + 8; continue; } // small element at top level: nothing we need
                long end = start + 8 + nbytes;
                if (end > fileLength)
                    throw new DataFormatException(path, $"truncated: the element at offset {start} declares {nbytes} bytes but the file ends {end - fileLength} bytes early");
                if (type == MiCompressed)
                {
                    using var bounded = new BoundedStream(fs, nbytes);
                    using var z = new ZLibStream(bounded, CompressionMode.Decompress, leaveOpen: true);
                    var inner = new byte[8];
                    DataStreams.ReadExactly(z, inner, path, $"the compressed element at offset {start}");
                    int innerType = BinaryPrimitives.ReadInt32LittleEndian(inner);
                    long innerBytes = BinaryPrimitives.ReadUInt32LittleEndian(inner.AsSpan(4));
                    if (innerType == MiMatrix) ReadMatrix(z, Math.Min(innerBytes, nbytes * 1032), path, ref images, ref labels); // deflate expands at most 1032-fold
                    fs.Position = end;
                }
                else if (type == MiMatrix)
                {
                    using var bounded = new BoundedStream(fs, nbytes);
                    ReadMatrix(bounded, nbytes, path, ref images, ref labels);
                    fs.Position = start + 8 + Pad8(nbytes);
                }
                else fs.Position = start + 8 + Pad8(nbytes);
            }
            if (images is null) throw new DataFormatException(path, "holds no variable 'X' (the images)");
            if (labels is null) throw new DataFormatException(path, "holds no variable 'y' (the labels)");
            if (images.shape[0] != labels.Length)
                throw new DataFormatException(path, $"'X' holds {images.shape[0]} images but 'y' holds {labels.Length} labels");
            var ds = new ImageDataset(name ?? "svhn/" + Path.GetFileNameWithoutExtension(path).Replace("_32x32", ""), images, labels, Classes);
            images = null;
            return ds;
        }
        finally { images?.Dispose(); }
    }

    private static long Pad8(long n) => (n + 7) & ~7L;

    /// <summary>Reads a matrix element of at most <paramref name="nbytes"/> bytes: the variable X or y, or nothing.</summary>
    private static void ReadMatrix(Stream s, long nbytes, string path, ref Tensor? images, ref long[]? labels)
    {
        // Array flags.
        var (ft, fbytes, fdata) = ReadSubElement(s, path, "array flags");
        if (ft != MiUInt32 || fdata.Length < 8) throw new DataFormatException(path, "malformed matrix: bad array-flags sub-element");
        int mxClass = fdata[0];
        var (dt, _, ddata) = ReadSubElement(s, path, "dimensions");
        if (dt != MiInt32 || ddata.Length % 4 != 0 || ddata.Length == 0) throw new DataFormatException(path, "malformed matrix: bad dimensions sub-element");
        var dims = new int[ddata.Length / 4];
        for (int i = 0; i < dims.Length; i++) dims[i] = BinaryPrimitives.ReadInt32LittleEndian(ddata.AsSpan(i * 4));
        var (nt, _, ndata) = ReadSubElement(s, path, "array name");
        if (nt != MiInt8) throw new DataFormatException(path, "malformed matrix: bad array-name sub-element");
        string varName = Encoding.ASCII.GetString(ndata);
        if (mxClass is 1 or 2 or 3 or 4 or 5) return; // cell, struct, object, char, sparse: not ours
        if (varName == "X") images = ReadImages(s, dims, path, nbytes);
        else if (varName == "y") labels = ReadLabels(s, dims, path, nbytes);
        _ = fbytes;
    }

    private static (int Type, long Bytes, byte[] Data) ReadSubElement(Stream s, string path, string what)
    {
        var tag = new byte[8];
        DataStreams.ReadExactly(s, tag, path, $"the {what} tag");
        int type = BinaryPrimitives.ReadInt32LittleEndian(tag);
        if ((type >> 16) != 0)
        {
            int n = type >> 16;
            if (n is < 0 or > 4) throw new DataFormatException(path, $"malformed small data element in {what}");
            return (type & 0xFFFF, n, tag.AsSpan(4, n).ToArray());
        }
        long nbytes = BinaryPrimitives.ReadUInt32LittleEndian(tag.AsSpan(4));
        if (nbytes > 1 << 20) throw new DataFormatException(path, $"implausible size {nbytes} of {what}");
        var data = new byte[Pad8(nbytes)];
        DataStreams.ReadExactly(s, data, path, what);
        return (type, nbytes, data.AsSpan(0, (int)nbytes).ToArray());
    }

    private static (int Type, long Bytes) ReadDataTag(Stream s, string path, string what)
    {
        var tag = new byte[8];
        DataStreams.ReadExactly(s, tag, path, $"the tag of {what}");
        int type = BinaryPrimitives.ReadInt32LittleEndian(tag);
        if ((type >> 16) != 0) throw new DataFormatException(path, $"{what} is stored as a small element, too small for SVHN");
        return (type, BinaryPrimitives.ReadUInt32LittleEndian(tag.AsSpan(4)));
    }

    private static unsafe Tensor ReadImages(Stream s, int[] dims, string path, long most)
    {
        if (dims.Length != 4 || dims[0] != 32 || dims[1] != 32 || dims[2] != 3 || dims[3] <= 0)
            throw new DataFormatException(path, $"'X' has dimensions {string.Join("×", dims)}, expected 32×32×3×N");
        int n = dims[3];
        var (type, bytes) = ReadDataTag(s, path, "'X'");
        if (type != MiUInt8) throw new DataFormatException(path, $"'X' is stored as MAT type {type}, expected miUINT8 (2)");
        if (bytes != (long)n * CifarReader.ImageBytes)
            throw new DataFormatException(path, $"wrongly sized: 'X' declares {bytes} bytes of data, 32×32×3×{n} needs {(long)n * CifarReader.ImageBytes}");
        CheckFits(path, "'X'", bytes, most);
        var images = TensorMemory.NewBytes(n, 3, 32, 32);
        try
        {
            byte* dst = (byte*)TensorMemory.Address(images);
            const int chunkImages = 256;
            var buf = new byte[chunkImages * CifarReader.ImageBytes];
            for (int i0 = 0; i0 < n; i0 += chunkImages)
            {
                int m = Math.Min(chunkImages, n - i0);
                DataStreams.ReadExactly(s, buf.AsSpan(0, m * CifarReader.ImageBytes), path, $"the pixels of 'X' (image {i0} of {n})");
                // Column-major X(row, col, ch, img): offset row + 32·col + 1024·ch + 3072·img.
                for (int k = 0; k < m; k++)
                {
                    byte* o = dst + (long)(i0 + k) * CifarReader.ImageBytes;
                    int b = k * CifarReader.ImageBytes;
                    for (int ch = 0; ch < 3; ch++)
                        for (int col = 0; col < 32; col++)
                        {
                            int src = b + ch * 1024 + col * 32;
                            byte* op = o + ch * 1024 + col;
                            for (int row = 0; row < 32; row++) op[row * 32] = buf[src + row];
                        }
                }
            }
            return images;
        }
        catch { images.Dispose(); throw; }
    }

    private static long[] ReadLabels(Stream s, int[] dims, string path, long most)
    {
        if (dims.Length != 2 || Math.Min(dims[0], dims[1]) != 1 || Math.Max(dims[0], dims[1]) <= 0)
            throw new DataFormatException(path, $"'y' has dimensions {string.Join("×", dims)}, expected N×1");
        int n = Math.Max(dims[0], dims[1]);
        var (type, bytes) = ReadDataTag(s, path, "'y'");
        int size = type switch
        {
            MiInt8 or MiUInt8 => 1, MiInt16 or MiUInt16 => 2, MiInt32 or MiUInt32 or MiSingle => 4,
            MiDouble or MiInt64 or MiUInt64 => 8,
            _ => throw new DataFormatException(path, $"'y' is stored as unsupported MAT type {type}")
        };
        if (bytes != (long)n * size)
            throw new DataFormatException(path, $"wrongly sized: 'y' declares {bytes} bytes, {n} values of {size} bytes need {(long)n * size}");
        CheckFits(path, "'y'", bytes, most);
        var raw = new byte[bytes];
        DataStreams.ReadExactly(s, raw, path, "the labels 'y'");
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            var b = raw.AsSpan(i * size, size);
            double v = type switch
            {
                MiInt8 => (sbyte)b[0], MiUInt8 => b[0],
                MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(b), MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
                MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(b), MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
                MiSingle => BinaryPrimitives.ReadSingleLittleEndian(b), MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(b),
                MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(b), _ => BinaryPrimitives.ReadUInt64LittleEndian(b),
            };
            if (v != Math.Floor(v) || v < 0 || v > 10)
                throw new DataFormatException(path, $"label {v} of sample {i} is not a digit 1..10");
            labels[i] = v == 10 ? 0 : (long)v;
        }
        return labels;
    }

    /// <summary>Checked before allocating: a corrupt count must not ask for more memory than its element can fill.</summary>
    private static void CheckFits(string path, string what, long bytes, long most)
    {
        if (bytes > most) throw new DataFormatException(path, $"truncated or corrupt: {what} declares {bytes} bytes of data, more than its element holds ({most})");
    }

    /// <summary>A read-only window of <c>length</c> bytes from the current position of a stream.</summary>
    private sealed class BoundedStream(Stream inner, long length) : Stream
    {
        private long _left = length;
        private readonly long _length = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _length - _left; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_left <= 0) return 0;
            int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
