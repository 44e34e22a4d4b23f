namespace DropActivation.Data.Readers;

/// <summary>
/// A read-only pass-through of a tar stream that checks each header as it goes by. .NET's TarReader reads a PAX or GNU
/// extended header (type x, g, L or K) whole into one array of its declared size, up to 2 GiB; such headers hold a few
/// names and numbers, so one declaring more than 1 MiB is corrupt and raises <see cref="InvalidDataException"/> here
/// before anything is allocated. A header whose size field cannot be read is left to TarReader to refuse.
/// </summary>
internal sealed class TarHeaderGuard(Stream inner) : Stream
{
    private const long MaxExtendedHeader = 1 << 20;
    private readonly byte[] _header = new byte[512];
    private long _position, _next;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        for (long at = Math.Max(_position, _next); at < _position + n && at < _next + 512; at++)
        {
            _header[at - _next] = buffer[(int)(at - _position)];
            if (at == _next + 511) Check();
        }
        _position += n;
        return n;
    }

    private void Check()
    {
        long size = 0;
        if ((_header[124] & 0x80) != 0) size = long.MaxValue; // base-256: only for sizes above 8 GiB
        else
            foreach (var c in _header.AsSpan(124, 12))
            {
                if (c is 0 or (byte)' ') { if (size > 0) break; continue; }
                if (c is < (byte)'0' or > (byte)'7') { _next = long.MaxValue - 512; return; }
                size = size * 8 + (c - '0');
            }
        if (_header[156] is (byte)'x' or (byte)'g' or (byte)'L' or (byte)'K' && size > MaxExtendedHeader)
            throw new InvalidDataException($"the tar header at byte {_next} declares a {size}-byte extended header (type {(char)_header[156]})");
        _next = size == long.MaxValue ? long.MaxValue - 512 : _next + 512 + (size + 511) / 512 * 512;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
