namespace DropActivation.Sweeps.Specs;

/// <summary>A sweep spec that cannot be read or makes no sense; the message names the file and the field.</summary>
public sealed class SweepSpecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SweepSpecException(string message, Exception? inner = null) : base(message, inner) { }
}
