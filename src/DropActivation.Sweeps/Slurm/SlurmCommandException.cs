namespace DropActivation.Sweeps.Slurm;

/// <summary>A Slurm command (sbatch, squeue, scontrol) ran but refused or failed; the message holds what it said.</summary>
public sealed class SlurmCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SlurmCommandException(string message) : base(message) { }
}
