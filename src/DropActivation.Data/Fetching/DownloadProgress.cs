namespace DropActivation.Data.Fetching;

/// <summary>Progress of one file: bytes so far and the total when the server announced it.</summary>
public readonly record struct DownloadProgress(string FileName, long BytesDone, long? TotalBytes, DownloadState State);

/// <summary>Where a file's download stands.</summary>
public enum DownloadState
{
    /// <summary>Bytes are arriving.</summary>
    Downloading,
    /// <summary>The file was already present with the right checksum.</summary>
    AlreadyPresent,
    /// <summary>Downloaded and verified.</summary>
    Done,
}
