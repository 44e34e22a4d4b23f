namespace DropActivation.Data.Fetching;

/// <summary>
/// A download failed (offline, HTTP error, checksum mismatch). The message says why and lists
/// which files to put where by hand, with their URLs and checksums.
/// </summary>
public sealed class DataFetchException : IOException
{
    /// <summary>Creates the error with its full message.</summary>
    public DataFetchException(string message, Exception? inner = null) : base(message, inner) { }
}
