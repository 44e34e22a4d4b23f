using DropActivation.Training.Logging;

namespace DropActivation.Training;

/// <summary>Receives progress from a <see cref="Trainer"/> (the command line draws a progress bar from it).</summary>
public interface ITrainingMonitor
{
    /// <summary>An epoch of <paramref name="steps"/> training steps starts.</summary>
    void EpochStarted(int epoch, int epochs, int steps, double lr);

    /// <summary>A training step finished with the given loss.</summary>
    void StepFinished(int epoch, int step, double loss);

    /// <summary>An epoch finished (after the test pass and the checkpoint).</summary>
    void EpochFinished(EpochMetrics metrics, bool best);

    /// <summary>A message for the user (resume, subset, preset chosen).</summary>
    void Info(string message);
}
