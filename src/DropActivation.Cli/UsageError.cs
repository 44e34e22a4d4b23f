namespace DropActivation.Cli;

/// <summary>A value on the command line that parses but makes no sense (exit code 2).</summary>
public sealed class UsageError : Exception
{
    public UsageError(string message) : base(message) { }
}
