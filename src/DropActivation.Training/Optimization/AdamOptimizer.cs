using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training.Optimization;

/// <summary>
/// torch's Adam (default betas and epsilon, no weight decay) behind <see cref="IOptimizer"/>, for the
/// small full-batch and mini-batch fits of the analyses (the regression of Figure 2, the digits comparison).
/// </summary>
public sealed class AdamOptimizer : IOptimizer, IDisposable
{
    private readonly torch.optim.Optimizer _adam;
    private double _lr;

    /// <summary>Adam over the parameters of <paramref name="model"/> with initial learning rate <paramref name="lr"/>.</summary>
    public AdamOptimizer(nn.Module model, double lr)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(lr > 0) || double.IsInfinity(lr)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "The learning rate must be positive.");
        _adam = torch.optim.Adam(model.parameters(), lr);
        _lr = lr;
    }

    /// <inheritdoc />
    public void ZeroGrad() => _adam.zero_grad();

    /// <inheritdoc />
    public void Step(double lr)
    {
        if (lr != _lr)
        {
            foreach (var group in _adam.ParamGroups) group.LearningRate = lr;
            _lr = lr;
        }
        _adam.step();
    }

    /// <summary>Frees Adam's moment buffers.</summary>
    public void Dispose() => _adam.Dispose();
}
