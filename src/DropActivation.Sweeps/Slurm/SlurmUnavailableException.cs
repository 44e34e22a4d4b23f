namespace DropActivation.Sweeps.Slurm;

/// <summary>Slurm cannot be used from here: its commands are not installed, or its controller does not answer. The message names what is missing.</summary>
public sealed class SlurmUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SlurmUnavailableException(string message) : base(message) { }
}
