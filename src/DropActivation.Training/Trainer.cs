using System.Diagnostics;
using System.Text.Json;
using DropActivation.Training.Checkpoints;
using DropActivation.Training.Evaluation;
using DropActivation.Training.Interop;
using DropActivation.Training.Logging;
using DropActivation.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training;

/// <summary>
/// The training loop, readable top to bottom: seed → data → model → optimizer → (resume) → for each
/// epoch: learning rate of the epoch, one pass of SGD over shuffled augmented batches (one dispose
/// scope per step, NaN guard), evaluation, atomic checkpoint, logs. The learning rate is a function of
/// the epoch, data order and augmentation of (seed, epoch, index), and every random activation draws
/// from torch's generator, whose state the checkpoint keeps: a resumed run ends with the same weights
/// as an uninterrupted one (bit for bit on CPU with a fixed thread count).
/// </summary>
public sealed class Trainer
{
    private readonly ITrainingMonitor _monitor;

    /// <summary>VmRSS of this process in MiB, or null where /proc is not there.</summary>
    private static double? ResidentMiB()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>A trainer reporting to <paramref name="monitor"/> (null: silent).</summary>
    public Trainer(ITrainingMonitor? monitor = null)
    {
        _monitor = monitor ?? SilentMonitor.Instance;
    }

    /// <summary>
    /// Starts a fresh run of <paramref name="options"/> in <paramref name="runDir"/> (data from <paramref name="dataRoot"/>);
    /// with <paramref name="stopAfterEpoch"/>, stops (checkpointed, resumable) once that many epochs are complete.
    /// </summary>
    /// <remarks>
    /// Cancelling <paramref name="cancel"/> (a signal, in the command line) stops the run after the current step: it
    /// writes a checkpoint holding the position inside the epoch and returns with <see cref="RunSummary.StoppedAfterStep"/>
    /// set; <see cref="Resume"/> then continues exactly where it stopped.
    /// </remarks>
    public RunSummary Train(TrainOptions options, string dataRoot, string runDir, int? stopAfterEpoch = null, CancellationToken cancel = default) =>
        Run(options, dataRoot, new RunFolder(runDir), resume: false, stopAfterEpoch, cancel);

    /// <summary>
    /// Continues the run in <paramref name="runDir"/> from its checkpoint; options come from the checkpoint, except a new
    /// <paramref name="epochs"/> (checked, and the schedule follows it: <see cref="TrainOptionsResolver.Resume"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="epochs"/> below the epochs done, or not positive.</exception>
    public RunSummary Resume(string runDir, string dataRoot, int? epochs = null, int? stopAfterEpoch = null, CancellationToken cancel = default)
    {
        var folder = new RunFolder(runDir);
        var header = CheckpointFile.ReadHeader(folder.Checkpoint);
        var options = epochs is { } e ? TrainOptionsResolver.Resume(header.Options, e, header.Epoch) : header.Options;
        return Run(options, dataRoot, folder, resume: true, stopAfterEpoch, cancel);
    }

    /// <summary>The default of <see cref="RecoveryInterval"/>: a kill -9 loses at most about this much training.</summary>
    public static readonly TimeSpan DefaultRecoveryInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a checkpoint is written inside an epoch (besides the one at every epoch's end), so that a process killed
    /// without warning loses at most about this much work; <see cref="Timeout.InfiniteTimeSpan"/> writes none.
    /// </summary>
    public TimeSpan RecoveryInterval { get; init; } = DefaultRecoveryInterval;

    /// <summary>
    /// Whether a bf16 run (<see cref="TrainOptions.Precision"/>) may train on a CPU that only emulates bfloat16 (many
    /// times slower; for tests of correctness). False: such a run is refused with the reason.
    /// </summary>
    public bool AllowEmulatedBFloat16 { get; init; }

    private RunSummary Run(TrainOptions o, string dataRoot, RunFolder folder, bool resume, int? stopAfterEpoch, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var mode = ComputeMode.Of(o);
        if (!AllowEmulatedBFloat16 && mode.Problem(Runtime.CpuFeatures.Current) is { } problem) throw new ArgumentException(problem);
        if (o.Threads > 0) torch.set_num_threads(o.Threads);
        var device = torch.device(o.Device);
        Directory.CreateDirectory(folder.Path);

        // Data: the same subsets for every seed; order and augmentation from (seed, epoch, index).
        using var data = RunData.Load(o.Dataset, dataRoot, o.TrainSubset, o.TestSubset,
            validationSplit: o.ValidationSplit, splitSeed: unchecked((ulong)o.Seed), trainSplit: o.TrainSplit, stratifiedSubset: o.StratifiedSubset);
        int numClasses = data.Info.NumClasses, channels = data.Train.Channels, imageSize = data.ImageSize();
        using var trainLoader = data.TrainLoader(o.BatchSize, unchecked((ulong)o.Seed), o.Cutout, o.AutoAugment, o.Augment, mode.ChannelsLast);
        // Evaluation in batches of the training size: its activations then reuse the blocks the training
        // step freed (glibc keeps them after ProcessSettings.Apply) instead of growing the heap by another set of a
        // different size (measured: +0.5-1 GiB resident with batch 256 after batch-128 training).
        using var testLoader = data.TestLoader(o.BatchSize, mode.ChannelsLast);

        // Model and optimizer: the weights at initialisation are a function of the seed.
        torch.manual_seed(o.Seed);
        using var model = ModelFactory.Create(o, numClasses, channels, imageSize);
        // Weights from PyTorch replace the initialisation of a fresh run; a resumed run takes its own from the checkpoint.
        if (!resume && o.InitFrom is { } init) PyTorchWeights.Load(model, init);
        model.to(device);
        mode.Prepare(model);
        using var optimizer = new SgdMomentum(model, o.Momentum, o.WeightDecay);

        var history = new List<EpochMetrics>();
        double? best = null;
        int? bestEpoch = null;
        int start = 0;
        EpochProgress? inEpoch = null;
        var log = new MetricsLog(folder.Path);
        if (resume)
        {
            using var ckpt = CheckpointFile.Load(folder.Checkpoint);
            CheckCompatible(ckpt.Header, o, folder.Checkpoint);
            LoadModelState(model, ckpt.Model, folder.Checkpoint);
            optimizer.LoadStateDict(ckpt.Optimizer);
            if (ckpt.RngState is { } rng) torch.set_rng_state(rng);
            history.AddRange(ckpt.Header.History);
            (best, bestEpoch, start, inEpoch) = (ckpt.Header.BestTestError, ckpt.Header.BestEpoch, ckpt.Header.Epoch, ckpt.Header.InEpoch);
            _monitor.Info(inEpoch is null
                ? $"resuming {folder.Path} after epoch {start} of {o.Epochs}"
                : $"resuming {folder.Path} inside epoch {start + 1} of {o.Epochs}, after step {inEpoch.Steps} of {trainLoader.BatchesPerEpoch}");
        }
        else
        {
            File.WriteAllText(folder.Config, JsonSerializer.Serialize(o, CheckpointFile.Json));
            SaveCheckpoint(folder.Checkpoint, o, model, optimizer, numClasses, channels, imageSize, 0, 0, null, null, history);
        }
        log.Reset(history);
        MachineRecord.Append(folder.Machine, MachineRecord.Current(torch.get_num_threads(), start));
        var tensorBoard = new TensorBoardLog(folder.Path);

        int end = Math.Min(o.Epochs, stopAfterEpoch ?? int.MaxValue);
        int? stoppedAfterStep = null;
        var sinceCheckpoint = Stopwatch.StartNew();
        for (int epoch = start; epoch < end; epoch++)
        {
            if (cancel.IsCancellationRequested) { stoppedAfterStep = 0; break; }
            var epochClock = Stopwatch.StartNew();
            double lr = o.LearningRateAt(epoch);
            _monitor.EpochStarted(epoch + 1, o.Epochs, trainLoader.BatchesPerEpoch, lr);

            // One pass of SGD, from where a checkpoint inside this epoch left it; after every step: stop on a signal,
            // or write a recovery checkpoint when the interval has passed (never after the last step: the epoch's own follows).
            int e = epoch + 1, completed = epoch;
            var from = epoch == start && inEpoch is not null ? inEpoch : EpochProgress.Start;
            var pass = TrainingEpoch.Run(model, trainLoader, epoch, optimizer, lr, from, progress =>
                {
                    if (progress.Steps >= trainLoader.BatchesPerEpoch) return false;
                    if (cancel.IsCancellationRequested) return true;
                    if (sinceCheckpoint.Elapsed >= RecoveryInterval && RecoveryInterval != Timeout.InfiniteTimeSpan)
                    {
                        SaveCheckpoint(folder.Checkpoint, o, model, optimizer, numClasses, channels, imageSize, completed, lr, best, bestEpoch, history, progress);
                        sinceCheckpoint.Restart();
                    }
                    return false;
                },
                device, (step, loss) => _monitor.StepFinished(e, step, loss), folder.Checkpoint, mode);
            if (pass.Stopped)
            {
                SaveCheckpoint(folder.Checkpoint, o, model, optimizer, numClasses, channels, imageSize, completed, lr, best, bestEpoch, history, pass.Progress);
                stoppedAfterStep = pass.Progress.Steps;
                _monitor.Info($"stopped inside epoch {e} of {o.Epochs} after step {pass.Progress.Steps} of {trainLoader.BatchesPerEpoch}; checkpoint written to {folder.Checkpoint}");
                break;
            }

            // Evaluation, checkpoint, logs.
            // With --eval-every N only epochs N, 2N, ... and the last are evaluated (a small training set's run would
            // otherwise spend a large share of its time on full test passes).
            double trainSeconds = epochClock.Elapsed.TotalSeconds;
            var test = o.Evaluates(e) ? Evaluator.Evaluate(model, testLoader, device, numClasses, mode) : null;
            var metrics = new EpochMetrics
            {
                Epoch = e, TrainLoss = pass.Loss, TrainError = pass.Error,
                TestLoss = test?.Loss, TestError = test?.Top1Error, TestTop5Error = test?.Top5Error,
                LearningRate = lr, Seconds = epochClock.Elapsed.TotalSeconds,
                TrainSeconds = trainSeconds, TestSeconds = test is null ? null : epochClock.Elapsed.TotalSeconds - trainSeconds,
                ResidentMiB = ResidentMiB(),
            };
            history.Add(metrics);
            bool improved = metrics.TestError is { } error && (best is null || error < best);
            if (improved) (best, bestEpoch) = (metrics.TestError, metrics.Epoch);
            SaveCheckpoint(folder.Checkpoint, o, model, optimizer, numClasses, channels, imageSize, epoch + 1, lr, best, bestEpoch, history);
            sinceCheckpoint.Restart();
            if (improved) SaveCheckpoint(folder.BestCheckpoint, o, model, optimizer, numClasses, channels, imageSize, epoch + 1, lr, best, bestEpoch, history);
            log.Append(metrics);
            tensorBoard.Write(metrics);
            _monitor.EpochFinished(metrics, improved);
        }

        var summary = new RunSummary
        {
            Options = o, EpochsCompleted = history.Count, Finished = history.Count >= o.Epochs, StoppedAfterStep = stoppedAfterStep,
            FinalTestError = history.LastOrDefault(m => m.TestError is not null)?.TestError,
            BestTestError = best, BestEpoch = bestEpoch, Seconds = clock.Elapsed.TotalSeconds,
        };
        File.WriteAllText(folder.Summary, JsonSerializer.Serialize(summary, CheckpointFile.Json));
        return summary;
    }

    private static void SaveCheckpoint(string path, TrainOptions o, nn.Module model, SgdMomentum optimizer, int numClasses, int channels,
        int imageSize, int epoch, double lr, double? best, int? bestEpoch, IReadOnlyList<EpochMetrics> history, EpochProgress? inEpoch = null)
    {
        var header = new CheckpointHeader
        {
            Options = o, NumClasses = numClasses, InChannels = channels, ImageSize = imageSize, Epoch = epoch, LearningRate = lr,
            BestTestError = best, BestEpoch = bestEpoch, History = history.ToArray(), InEpoch = inEpoch,
            DropActVersion = typeof(Trainer).Assembly.GetName().Version?.ToString(),
            TorchSharpVersion = typeof(torch).Assembly.GetName().Version?.ToString(),
            CreatedUtc = DateTime.UtcNow.ToString("O"),
        };
        using var rng = torch.get_rng_state();
        CheckpointFile.Save(path, header, model.state_dict(), optimizer.StateDict(), rng);
    }

    /// <summary>Copies a checkpoint's tensors into <paramref name="model"/>; names and shapes must match exactly.</summary>
    /// <exception cref="CheckpointException">A missing, unexpected or mis-shaped tensor (names the file).</exception>
    public static void LoadModelState(nn.Module model, IReadOnlyDictionary<string, Tensor> state, string path)
    {
        var target = model.state_dict();
        var missing = target.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var extra = state.Keys.Where(k => !target.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new CheckpointException(path, $"does not fit the model: missing {string.Join(", ", missing.Take(5))}; unexpected {string.Join(", ", extra.Take(5))}");
        using var noGrad = torch.no_grad();
        foreach (var (name, t) in target)
        {
            var src = state[name];
            if (!src.shape.SequenceEqual(t.shape) || src.dtype != t.dtype)
                throw new CheckpointException(path, $"tensor '{name}' is {src.dtype}[{string.Join(",", src.shape)}], the model has {t.dtype}[{string.Join(",", t.shape)}]");
            t.copy_(src);
        }
    }

    private static void CheckCompatible(CheckpointHeader h, TrainOptions o, string path)
    {
        if (h.Options.Model != o.Model || h.Options.Dataset != o.Dataset || h.Options.Activation != o.Activation)
            throw new CheckpointException(path, $"was written for {h.Options.Model}/{h.Options.Dataset}/{h.Options.Activation}, not {o.Model}/{o.Dataset}/{o.Activation}");
    }

    private sealed class SilentMonitor : ITrainingMonitor
    {
        public static readonly SilentMonitor Instance = new();
        public void EpochStarted(int epoch, int epochs, int steps, double lr) { }
        public void StepFinished(int epoch, int step, double loss) { }
        public void EpochFinished(EpochMetrics metrics, bool best) { }
        public void Info(string message) { }
    }
}
