namespace DropActivation.Data;

/// <summary>
/// A data set's files or folders are not where they should be. The message names what is missing,
/// where it was looked for, and how to get it (<c>dropact data fetch</c>); loaders never download.
/// </summary>
public sealed class DataNotFoundException : FileNotFoundException
{
    /// <summary>Creates the error with a message naming the missing path.</summary>
    public DataNotFoundException(string message, string? path = null) : base(message, path) { }
}
