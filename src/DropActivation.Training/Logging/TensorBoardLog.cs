using TorchSharp;

namespace DropActivation.Training.Logging;

/// <summary>TensorBoard event files (TorchSharp's SummaryWriter, which writes each scalar through to the file) under <c>RUN/tensorboard/</c>: losses, errors and the learning rate per epoch.</summary>
public sealed class TensorBoardLog
{
    private readonly TorchSharp.Modules.SummaryWriter _writer;

    /// <summary>Opens a writer in <c>runDir/tensorboard</c>.</summary>
    public TensorBoardLog(string runDir)
    {
        Directory = Path.Combine(runDir, "tensorboard");
        System.IO.Directory.CreateDirectory(Directory);
        _writer = torch.utils.tensorboard.SummaryWriter(Directory, createRunName: false);
    }

    /// <summary>The event-file folder.</summary>
    public string Directory { get; }

    /// <summary>Writes one epoch's scalars at step = epoch.</summary>
    public void Write(EpochMetrics m)
    {
        _writer.add_scalar("loss/train", (float)m.TrainLoss, m.Epoch);
        if (m.TestLoss is { } testLoss) _writer.add_scalar("loss/test", (float)testLoss, m.Epoch);
        _writer.add_scalar("error/train", (float)m.TrainError, m.Epoch);
        if (m.TestError is { } testError) _writer.add_scalar("error/test", (float)testError, m.Epoch);
        if (m.TestTop5Error is { } t5) _writer.add_scalar("error/test_top5", (float)t5, m.Epoch);
        _writer.add_scalar("lr", (float)m.LearningRate, m.Epoch);
        _writer.add_scalar("seconds_per_epoch", (float)m.Seconds, m.Epoch);
    }
}
