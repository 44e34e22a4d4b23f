using DropActivation.Data.Loading;
using DropActivation.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training;

/// <summary>
/// The training step of the project, in one place: one pass over a sequence of batches with one
/// dispose scope per step (forward, loss, NaN guard, zero the gradients, backward, optimiser step),
/// returning the mean loss and error. <see cref="Trainer"/> calls it once per epoch; so does every
/// analysis that trains (p-sweep, shift ratio, regression, digits).
/// </summary>
public static class TrainingEpoch
{
    /// <summary>
    /// Trains <paramref name="model"/> for epoch <paramref name="epoch"/> (0-based) of <paramref name="loader"/>
    /// with cross-entropy; batches move to <paramref name="device"/> when given. <paramref name="onStep"/>
    /// receives (1-based step, loss) after every step.
    /// </summary>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite (the run stops; lower the learning rate).</exception>
    public static EpochTotals Run(nn.Module<Tensor, Tensor> model, DataLoader loader, int epoch, IOptimizer optimizer, double lr,
        Device? device = null, Action<int, double>? onStep = null, string? lastGoodCheckpoint = null)
    {
        ArgumentNullException.ThrowIfNull(loader);
        return Run(model, Batches(loader, epoch, 0), optimizer, lr, EpochLoss.CrossEntropy, epoch, device, onStep, lastGoodCheckpoint,
            EpochProgress.Start, null, ComputeMode.Standard);
    }

    /// <summary>
    /// As <see cref="Run(nn.Module{Tensor, Tensor}, DataLoader, int, IOptimizer, double, Device?, Action{int, double}?, string?)"/>,
    /// continuing an epoch from <paramref name="from"/> (its next batch and running sums; a checkpoint inside the epoch
    /// holds them), and asking <paramref name="afterStep"/> after every step whether to stop the pass there: it receives
    /// the running sums and returns true to stop (the totals then say <see cref="EpochTotals.Stopped"/>).
    /// </summary>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    public static EpochTotals Run(nn.Module<Tensor, Tensor> model, DataLoader loader, int epoch, IOptimizer optimizer, double lr,
        EpochProgress from, Func<EpochProgress, bool> afterStep, Device? device = null, Action<int, double>? onStep = null,
        string? lastGoodCheckpoint = null, ComputeMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(from);
        return Run(model, Batches(loader, epoch, from.Steps), optimizer, lr, EpochLoss.CrossEntropy, epoch, device, onStep,
            lastGoodCheckpoint, from, afterStep, mode ?? ComputeMode.Standard);
    }

    /// <summary>
    /// Trains <paramref name="model"/> (switched to training mode) for one pass over <paramref name="batches"/>
    /// of (inputs, targets), minimising <paramref name="loss"/> with learning rate <paramref name="lr"/>.
    /// The batches are not disposed here: their owner frees them. <paramref name="epoch"/> (0-based) only
    /// names the epoch in a <see cref="NonFiniteLossException"/>.
    /// </summary>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    public static EpochTotals Run(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Inputs, Tensor Targets)> batches, IOptimizer optimizer,
        double lr, EpochLoss loss, int epoch = 0, Device? device = null, Action<int, double>? onStep = null, string? lastGoodCheckpoint = null,
        ComputeMode? mode = null) =>
        Run(model, batches, optimizer, lr, loss, epoch, device, onStep, lastGoodCheckpoint, EpochProgress.Start, null, mode ?? ComputeMode.Standard);

    private static EpochTotals Run(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Inputs, Tensor Targets)> batches, IOptimizer optimizer,
        double lr, EpochLoss loss, int epoch, Device? device, Action<int, double>? onStep, string? lastGoodCheckpoint,
        EpochProgress from, Func<EpochProgress, bool>? afterStep, ComputeMode mode)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(optimizer);
        model.train();
        double lossSum = from.LossSum;
        long wrong = from.Wrong, seen = from.Samples;
        int step = from.Steps;
        bool stopped = false;
        foreach (var (inputs, targets) in batches)
        {
            using var scope = torch.NewDisposeScope();
            step++;
            var x = mode.Input(device is null ? inputs : inputs.to(device));
            var y = device is null ? targets : targets.to(device);
            Tensor output, value;
            using (mode.Forward())
            {
                output = model.forward(x);
                value = loss == EpochLoss.CrossEntropy ? nn.functional.cross_entropy(output, y) : nn.functional.mse_loss(output, y);
            }
            double v = value.item<float>();
            if (!double.IsFinite(v)) throw new NonFiniteLossException(v, epoch + 1, step, lastGoodCheckpoint);
            optimizer.ZeroGrad();
            value.backward();
            optimizer.Step(lr);
            long size = inputs.shape[0];
            lossSum += v * size;
            if (loss == EpochLoss.CrossEntropy) wrong += output.argmax(1).ne(y).sum().item<long>();
            seen += size;
            onStep?.Invoke(step, v);
            if (afterStep is not null && afterStep(new EpochProgress(step, seen, lossSum, wrong))) { stopped = true; break; }
        }
        double error = loss == EpochLoss.CrossEntropy && seen > 0 ? (double)wrong / seen : double.NaN;
        return new EpochTotals(seen > 0 ? lossSum / seen : double.NaN, error, step, seen)
        {
            Stopped = stopped, Progress = new EpochProgress(step, seen, lossSum, wrong),
        };
    }

    /// <summary>The loader's batches of one epoch from <paramref name="first"/> on as (images, labels); each batch is freed once the step after it begins.</summary>
    private static IEnumerable<(Tensor Inputs, Tensor Targets)> Batches(DataLoader loader, int epoch, int first)
    {
        foreach (var batch in loader.GetEpoch(epoch, first))
        {
            using var b = batch;
            yield return (b.Images, b.Labels);
        }
    }
}
