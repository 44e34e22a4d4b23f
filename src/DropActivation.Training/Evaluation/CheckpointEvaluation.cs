using DropActivation.Training.Checkpoints;
using TorchSharp;

namespace DropActivation.Training.Evaluation;

/// <summary>Evaluates a checkpoint file on its data set's test split: rebuilds the model the header describes, loads the weights, evaluation mode.</summary>
public static class CheckpointEvaluation
{
    /// <summary>
    /// The header and the evaluation result; <paramref name="testSubset"/> null uses the checkpoint's own test subset, and
    /// <paramref name="mode"/> null the run's own memory order and precision (fp32 where this CPU would emulate bf16).
    /// </summary>
    /// <exception cref="CheckpointException">Unreadable checkpoint (names the file).</exception>
    /// <exception cref="ArgumentException">A <paramref name="mode"/> this CPU should not run (bf16 without native bf16).</exception>
    public static (CheckpointHeader Header, EvalResult Result) Run(string checkpointPath, string dataRoot, int batchSize = 256,
        int? testSubset = null, int threads = 0, string device = "cpu", ComputeMode? mode = null)
    {
        if (mode?.Problem(Runtime.CpuFeatures.Current) is { } problem) throw new ArgumentException(problem);
        if (threads > 0) torch.set_num_threads(threads);
        using var ckpt = CheckpointFile.Load(checkpointPath);
        var h = ckpt.Header;
        using var data = RunData.Load(h.Options.Dataset, dataRoot, trainSubset: null, testSubset ?? h.Options.TestSubset, loadTrain: false);
        using var model = ModelFactory.Create(h.Options, h.NumClasses, h.InChannels, h.ImageSize);
        Trainer.LoadModelState(model, ckpt.Model, checkpointPath);
        var dev = torch.device(device);
        model.to(dev);
        var own = ComputeMode.Of(h.Options);
        mode ??= own.Problem(Runtime.CpuFeatures.Current) is null ? own : own with { BFloat16 = false };
        mode.Prepare(model);
        using var loader = data.TestLoader(batchSize, mode.ChannelsLast);
        return (h, Evaluator.Evaluate(model, loader, dev, h.NumClasses, mode));
    }
}
