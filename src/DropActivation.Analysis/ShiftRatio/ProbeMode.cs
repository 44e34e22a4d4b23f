namespace DropActivation.Analysis.ShiftRatio;

/// <summary>What differs between the "train" and the "test" pass of a <see cref="StageProbe"/>.</summary>
public enum ProbeMode
{
    /// <summary>
    /// Only the random layers: they draw in the train pass and use their test-time form in the test pass;
    /// batch normalisation uses its running statistics in both, so the ratio isolates the activations'
    /// variance shift (Property 2's question). The default.
    /// </summary>
    Activations,

    /// <summary>
    /// The whole network as in training against as in testing: the train pass also normalises with the
    /// probe batch's own statistics, the test pass with the running ones (the running statistics are
    /// restored after the probe).
    /// </summary>
    Network,
}
