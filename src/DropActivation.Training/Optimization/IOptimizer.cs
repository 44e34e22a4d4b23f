namespace DropActivation.Training.Optimization;

/// <summary>
/// What <see cref="TrainingEpoch"/> needs of an optimiser: clear the gradients, and one update with
/// the learning rate of the current epoch. <see cref="SgdMomentum"/> (the paper's recipes) and
/// <see cref="AdamOptimizer"/> (the small analyses) implement it.
/// </summary>
public interface IOptimizer
{
    /// <summary>Clears the gradients of the optimised parameters.</summary>
    void ZeroGrad();

    /// <summary>One update with learning rate <paramref name="lr"/>.</summary>
    void Step(double lr);
}
