namespace DropActivation.Training;

/// <summary>The training loss became NaN or infinite; the run stopped and the last good checkpoint is untouched.</summary>
public sealed class NonFiniteLossException : Exception
{
    /// <summary>Creates the error for 1-based <paramref name="epoch"/> and <paramref name="step"/>.</summary>
    /// <remarks>Without a checkpoint (the analyses keep none) the message only says where the loss broke down.</remarks>
    public NonFiniteLossException(double loss, int epoch, int step, string? lastGoodCheckpoint = null)
        : base($"loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at epoch {epoch} step {step}; training stopped. " +
               (lastGoodCheckpoint is null ? "Try a lower learning rate." : $"Last good checkpoint: {lastGoodCheckpoint} (try a lower --lr)"))
    {
        Loss = loss; Epoch = epoch; Step = step; LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>The offending loss value.</summary>
    public double Loss { get; }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>1-based step within the epoch.</summary>
    public int Step { get; }

    /// <summary>Path of the checkpoint that is still valid (null where the run keeps no checkpoint).</summary>
    public string? LastGoodCheckpoint { get; }
}
