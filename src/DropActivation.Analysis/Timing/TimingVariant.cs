using DropActivation.Models.Registry;
using DropActivation.Modules;
using static TorchSharp.torch;

namespace DropActivation.Analysis.Timing;

/// <summary>The activations Table 5 compares, plus Drop-Activation's portable (pure libtorch) path.</summary>
/// <param name="Name">Short name: relu, rrelu, dropact, dropact-portable.</param>
/// <param name="Label">Column title.</param>
/// <param name="Factory">Fresh activation modules.</param>
public sealed record TimingVariant(string Name, string Label, Func<nn.Module<Tensor, Tensor>> Factory)
{
    /// <summary>ReLU (the baseline), RReLU, Drop-Activation (fast kernel where it applies) and Drop-Activation on libtorch operations.</summary>
    public static IReadOnlyList<TimingVariant> All(double p) =>
    [
        .. new[] { "relu", "rrelu", "dropact" }.Select(ActivationFactory.Get).Select(a => new TimingVariant(a.Name, a.Title, a.Create(p))),
        new("dropact-portable", "Drop-Activation (portable)", () => DA.DropAct(p, DropActBackend.Portable)),
    ];
}
