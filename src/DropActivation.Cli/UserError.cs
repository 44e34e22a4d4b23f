namespace DropActivation.Cli;

/// <summary>A problem the user can fix (bad path, bad value, missing file): one message, exit code 1, no stack trace.</summary>
public sealed class UserError : Exception
{
    public UserError(string message, Exception? inner = null) : base(message, inner) { }
}
