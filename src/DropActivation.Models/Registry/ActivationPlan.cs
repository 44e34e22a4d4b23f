using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>
/// Hands each model the activation module for a place in it: the config's activation inside the
/// chosen stages (all of the model when none are chosen), ReLU elsewhere.
/// </summary>
public sealed class ActivationPlan
{
    /// <summary>The pseudo-stage of everything before the first stage (stem).</summary>
    public const string Stem = "stem";

    /// <summary>The pseudo-stage of everything after the last stage (final activation, classifier).</summary>
    public const string Head = "head";

    private readonly Func<nn.Module<Tensor, Tensor>> _activation;
    private readonly HashSet<string>? _stages;
    private readonly HashSet<nn.Module> _made = new(ReferenceEqualityComparer.Instance);

    /// <summary>A plan for a model with the given stage names.</summary>
    /// <exception cref="ArgumentException">A stage in the config that the model does not have.</exception>
    public ActivationPlan(ModelConfig config, IReadOnlyList<string> stageNames)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(stageNames);
        _activation = config.Activation ?? ActivationFactory.ReLU;
        if (config.ActivationStages is { } chosen)
        {
            var unknown = chosen.Where(s => !stageNames.Contains(s)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException(
                    $"Unknown stage(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}. This model's stages: {string.Join(", ", stageNames)}.",
                    nameof(config));
            _stages = chosen.ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Whether the config's activation applies in this stage (or pseudo-stage).</summary>
    public bool Applies(string stage) => _stages is null || _stages.Contains(stage);

    /// <summary>A fresh activation module for a place in the given stage (or <see cref="Stem"/>/<see cref="Head"/>).</summary>
    /// <exception cref="InvalidOperationException">The activation factory returned null or a module it had returned before.</exception>
    public nn.Module<Tensor, Tensor> For(string stage)
    {
        if (!Applies(stage)) return nn.ReLU();
        var module = _activation() ?? throw new InvalidOperationException("The activation factory returned null.");
        if (!_made.Add(module))
            throw new InvalidOperationException(
                "The activation factory returned the same module twice; it must build a new module on each call (e.g. () => DA.DropAct(0.95)).");
        return module;
    }
}
