namespace DropActivation.Data;

/// <summary>
/// A data file exists but cannot be used: truncated, corrupt, wrong magic number, wrongly sized or
/// holding values out of range. The message names the file and the problem.
/// </summary>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates the error for <paramref name="path"/> with a one-line <paramref name="problem"/>.</summary>
    public DataFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file (or archive member) at fault.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
