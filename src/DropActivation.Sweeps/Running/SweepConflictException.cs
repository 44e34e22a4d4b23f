namespace DropActivation.Sweeps.Running;

/// <summary>A run folder holds a run made with other settings than the plan's; the sweep will not overwrite or mix it.</summary>
public sealed class SweepConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SweepConflictException(string message) : base(message) { }
}
