namespace DropActivation.Training.Checkpoints;

/// <summary>A checkpoint file that cannot be read (missing, truncated, corrupt, or not a checkpoint); the message names the file.</summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public CheckpointException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner) => FilePath = path;

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }
}
