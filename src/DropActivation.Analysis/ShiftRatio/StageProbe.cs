using DropActivation.Modules;
using DropActivation.Models.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.ShiftRatio;

/// <summary>
/// Measures the variance shift of one stage's output (Section 4.2, Figure 4). The stage output is
/// captured with a forward hook on the stage's last submodule (a stage is a Sequential of blocks or
/// layers, and a Sequential calls its children through their hooks). Two behaviours of the same
/// network are compared on the same images:
/// <list type="bullet">
/// <item>"train": every random layer (Drop-Activation, RReLU, Dropout) draws as in training;</item>
/// <item>"test": every random layer uses its deterministic test-time form.</item>
/// </list>
/// In <see cref="ProbeMode.Activations"/> (the default) batch normalisation uses its running statistics
/// in both, so the two passes differ only in the behaviour of the random layers, which is what
/// Property 2 isolates (the BN statistics that the network uses at test time against the variance its
/// random activations produce in training). In <see cref="ProbeMode.Network"/> the train pass also
/// normalises with batch statistics. Either way the probe leaves the running statistics as they were.
/// </summary>
public sealed class StageProbe : IDisposable
{
    private readonly ZooModel _model;
    private readonly nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>,
        Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover _hook;
    private Tensor? _captured;

    /// <summary>Hooks stage <paramref name="stage"/> of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model has no such stage (the message lists its stages), or the stage cannot be hooked.</exception>
    public StageProbe(ZooModel model, string stage, ProbeMode mode = ProbeMode.Activations)
    {
        _model = model;
        Mode = mode;
        if (!model.StageNames.Contains(stage))
            throw new ArgumentException($"Model has no stage '{stage}'. Valid stages: {string.Join(", ", model.StageNames)}.", nameof(stage));
        var module = model.named_children().First(c => c.name == stage).module;
        var last = module.children().LastOrDefault() ?? module;
        if (last is not nn.Module<Tensor, Tensor> target)
            throw new ArgumentException($"Stage '{stage}' ends in a {last.GetType().Name}, whose output cannot be captured.", nameof(stage));
        Stage = stage;
        _hook = target.register_forward_hook((_, _, output) =>
        {
            _captured?.Dispose();
            _captured = output.detach().to_type(ScalarType.Float64).DetachFromDisposeScope();
            return output;
        });
    }

    /// <summary>The measured stage.</summary>
    public string Stage { get; }

    /// <summary>What differs between the two passes.</summary>
    public ProbeMode Mode { get; }

    /// <summary>Whether a module is a batch normalisation layer.</summary>
    public static bool IsBatchNorm(nn.Module module) =>
        module is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d;

    /// <summary>Whether a module draws randomly in training and is replaced by a deterministic form at test time.</summary>
    public static bool IsRandomLayer(nn.Module module) =>
        module is DropAct or RandomizedReLU or TorchSharp.Modules.Dropout or TorchSharp.Modules.Dropout2d;

    /// <summary>
    /// Per-channel variances of the stage output for <paramref name="images"/>: <paramref name="draws"/>
    /// passes with random layers in training behaviour (pooled), one pass in test behaviour. The model's
    /// training/evaluation flags are restored afterwards.
    /// </summary>
    public StageVariances Measure(Tensor images, int draws)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        bool wasTraining = _model.training;
        var running = _model.state_dict()
            .Where(kv => kv.Key.EndsWith("running_mean") || kv.Key.EndsWith("running_var") || kv.Key.EndsWith("num_batches_tracked"))
            .Select(kv => (Live: kv.Value, Saved: kv.Value.detach().clone()))
            .ToList();
        try
        {
            using var noGrad = torch.no_grad();
            SetBehaviour(randomLayersTrain: true);
            double[]? mean = null, square = null;
            for (int d = 0; d < draws; d++)
            {
                var (m, s) = Moments(images);
                if (mean is null) (mean, square) = (m, s);
                else for (int c = 0; c < m.Length; c++) { mean[c] += m[c]; square![c] += s[c]; }
            }
            var train = mean!.Select((m, c) => Math.Max(0, square![c] / draws - (m / draws) * (m / draws))).ToArray();
            Restore(running); // the test pass normalises with the running statistics as training left them
            SetBehaviour(randomLayersTrain: false);
            var (tm, ts) = Moments(images);
            var test = tm.Select((m, c) => Math.Max(0, ts[c] - m * m)).ToArray();
            return new StageVariances(train, test);
        }
        finally
        {
            Restore(running);
            foreach (var (_, saved) in running) saved.Dispose();
            _model.train(wasTraining);
        }
    }

    private static void Restore(IEnumerable<(Tensor Live, Tensor Saved)> buffers)
    {
        using var noGrad = torch.no_grad();
        foreach (var (live, saved) in buffers) live.copy_(saved);
    }

    private void SetBehaviour(bool randomLayersTrain)
    {
        _model.eval();
        if (!randomLayersTrain) return;
        foreach (var m in _model.modules())
            if (IsRandomLayer(m) || (Mode == ProbeMode.Network && IsBatchNorm(m))) m.train();
    }

    /// <summary>Per-channel E[x] and E[x²] of the stage output (channels: dimension 1).</summary>
    private (double[] Mean, double[] Square) Moments(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        _captured?.Dispose();
        _captured = null;
        _model.forward(images);
        var output = _captured ?? throw new InvalidOperationException($"The forward pass did not reach stage '{Stage}'.");
        long channels = output.shape[1];
        var perChannel = output.transpose(0, 1).reshape(channels, -1);
        var mean = perChannel.mean(new long[] { 1 }).data<double>().ToArray();
        var square = perChannel.square().mean(new long[] { 1 }).data<double>().ToArray();
        return (mean, square);
    }

    /// <summary>Removes the hook and frees the last capture.</summary>
    public void Dispose()
    {
        _hook.remove();
        _captured?.Dispose();
        _captured = null;
    }
}
