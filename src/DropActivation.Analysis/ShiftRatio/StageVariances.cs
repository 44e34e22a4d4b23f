namespace DropActivation.Analysis.ShiftRatio;

/// <summary>
/// Per-channel variances of a stage's output over a probe batch, with the network's random layers in
/// training behaviour (<see cref="Train"/>) and in their test-time form (<see cref="Test"/>).
/// </summary>
/// <param name="Train">Var_train per channel (pooled over the probe draws).</param>
/// <param name="Test">Var_test per channel.</param>
public sealed record StageVariances(double[] Train, double[] Test)
{
    /// <summary>The paper's shift ratio: the channel-averaged Var_test over the channel-averaged Var_train.</summary>
    public double Ratio => Test.Average() / Train.Average();

    /// <summary>The mean over channels of the per-channel ratios Var_test[c] / Var_train[c] (channels with Var_train = 0 left out).</summary>
    public double MeanChannelRatio
    {
        get
        {
            var ratios = Train.Zip(Test).Where(t => t.First > 0).Select(t => t.Second / t.First).ToArray();
            return ratios.Length > 0 ? ratios.Average() : double.NaN;
        }
    }
}
