using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training.Optimization;

/// <summary>
/// SGD with momentum and L2 weight decay, exactly PyTorch's <c>torch.optim.SGD</c> update
/// (dampening 0, no Nesterov): g ← ∇ + wd·θ; b ← g on the first step, else b ← μ·b + g; θ ← θ − lr·b.
/// Its state is one momentum buffer per parameter, named like the parameter, so a checkpoint stores
/// and restores it exactly (<see cref="StateDict"/>, <see cref="LoadStateDict"/>).
/// </summary>
public sealed class SgdMomentum : IOptimizer, IDisposable
{
    private readonly List<(string Name, Tensor Param)> _params;
    private readonly Dictionary<string, Tensor> _buffers = new(StringComparer.Ordinal);

    /// <summary>Optimises the trainable parameters of <paramref name="model"/>.</summary>
    public SgdMomentum(nn.Module model, double momentum, double weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        Momentum = momentum;
        WeightDecay = weightDecay;
        _params = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter)).ToList();
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Clears the gradients.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in _params)
        {
            using var g = p.grad;
            if (g is not null) { g.detach_(); g.zero_(); }
        }
    }

    /// <summary>One update with learning rate <paramref name="lr"/>.</summary>
    public void Step(double lr)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var (name, p) in _params)
        {
            var grad = p.grad;
            if (grad is null) continue;
            var d = WeightDecay != 0 ? grad.add(p, alpha: WeightDecay) : grad;
            if (Momentum != 0)
            {
                if (_buffers.TryGetValue(name, out var buf)) buf.mul_(Momentum).add_(d);
                else { buf = d.detach().clone().DetachFromDisposeScope(); _buffers[name] = buf; }
                d = buf;
            }
            p.add_(d, alpha: -lr);
        }
    }

    /// <summary>The momentum buffers by parameter name (shared with the optimizer; copy before changing them).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() => _buffers;

    /// <summary>Replaces the momentum buffers by copies of <paramref name="state"/> (names must be parameters of the model).</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var byName = _params.ToDictionary(p => p.Name, p => p.Param, StringComparer.Ordinal);
        foreach (var (name, t) in state)
        {
            if (!byName.TryGetValue(name, out var p))
                throw new InvalidDataException($"optimizer state names parameter '{name}', which the model does not have");
            if (!t.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"optimizer state of '{name}' has shape [{string.Join(",", t.shape)}], the parameter [{string.Join(",", p.shape)}]");
        }
        foreach (var b in _buffers.Values) b.Dispose();
        _buffers.Clear();
        foreach (var (name, t) in state)
            _buffers[name] = t.to(byName[name].device).clone().DetachFromDisposeScope();
    }

    /// <summary>Frees the momentum buffers.</summary>
    public void Dispose()
    {
        foreach (var b in _buffers.Values) b.Dispose();
        _buffers.Clear();
    }
}
