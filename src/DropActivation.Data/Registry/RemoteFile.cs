namespace DropActivation.Data.Registry;

/// <summary>
/// One file of a data set as published: its name on disk, the official URL(s) tried in order,
/// its MD5 when the publisher's checksum is known, and an optional check run after download
/// (for files without a published checksum).
/// </summary>
public sealed record RemoteFile(string FileName, IReadOnlyList<string> Urls, string? Md5, long? SizeBytes = null)
{
    /// <summary>Validates a downloaded file by parsing it; throws when it is not what was expected.</summary>
    public Action<string>? Validate { get; init; }
}
