using static TorchSharp.torch;

namespace DropActivation.Training.Checkpoints;

/// <summary>
/// A checkpoint in memory: the header, the model's state (parameters and buffers by name), the
/// optimizer's momentum buffers and torch's CPU random-number state. Owns its tensors.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>Bundles the parts of a checkpoint; ownership of the tensors passes to it.</summary>
    public Checkpoint(CheckpointHeader header, Dictionary<string, Tensor> model, Dictionary<string, Tensor> optimizer, Tensor? rngState)
    {
        Header = header;
        Model = model;
        Optimizer = optimizer;
        RngState = rngState;
    }

    /// <summary>What was trained, how far, with which result.</summary>
    public CheckpointHeader Header { get; }

    /// <summary>Model parameters and buffers by state-dict name.</summary>
    public IReadOnlyDictionary<string, Tensor> Model { get; }

    /// <summary>Optimizer momentum buffers by parameter name.</summary>
    public IReadOnlyDictionary<string, Tensor> Optimizer { get; }

    /// <summary>torch.get_rng_state() when it was written (null in weights-only checkpoints).</summary>
    public Tensor? RngState { get; }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Model.Values) t.Dispose();
        foreach (var t in Optimizer.Values) t.Dispose();
        RngState?.Dispose();
    }
}
