using DropActivation.Data.Loading;
using DropActivation.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.PSweep;

/// <summary>
/// One epoch of SGD on a classifier, for the analyses that must train on their own split or look at
/// the model between epochs (the p-sweep trains on 90 % of a training set, the shift ratio probes a
/// stage after every epoch). The library's <c>Trainer</c> trains on a data set's fixed train/test
/// splits and owns its model, so these analyses use this short loop with the library's own
/// <see cref="SgdMomentum"/> and <see cref="LearningRateSchedule"/> instead.
/// </summary>
public static class ClassifierEpoch
{
    /// <summary>
    /// Trains <paramref name="model"/> (in training mode) for one pass over <paramref name="loader"/>'s
    /// epoch <paramref name="epoch"/> with learning rate <paramref name="lr"/>: one dispose scope per step.
    /// <paramref name="onStep"/> receives (step, steps) after each step. Returns the mean training loss and error.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (lower the learning rate).</exception>
    public static (double Loss, double Error) Train(nn.Module<Tensor, Tensor> model, SgdMomentum optimizer, DataLoader loader, int epoch,
        double lr, Action<int, int>? onStep = null)
    {
        model.train();
        double lossSum = 0;
        long wrong = 0, seen = 0;
        int step = 0, steps = loader.BatchesPerEpoch;
        foreach (var batch in loader.GetEpoch(epoch))
        {
            using var b = batch;
            using var scope = torch.NewDisposeScope();
            step++;
            var logits = model.forward(b.Images);
            var loss = nn.functional.cross_entropy(logits, b.Labels);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"the training loss became {value} at epoch {epoch + 1}, step {step}; lower the learning rate");
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step(lr);
            lossSum += value * b.Size;
            wrong += logits.argmax(1).ne(b.Labels).sum().item<long>();
            seen += b.Size;
            onStep?.Invoke(step, steps);
        }
        return (lossSum / seen, (double)wrong / seen);
    }
}
