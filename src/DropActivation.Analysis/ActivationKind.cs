using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis;

/// <summary>The activations the analyses compare.</summary>
public enum ActivationKind
{
    /// <summary>Plain ReLU.</summary>
    ReLU,
    /// <summary>The paper's RReLU baseline: slope U(1/8, 1/3) in training, their mean at test time.</summary>
    RReLU,
    /// <summary>Drop-Activation around ReLU with keep probability p.</summary>
    DropAct,
}

/// <summary>Builds activation modules and names them for tables and plots.</summary>
public static class Activation
{
    /// <summary>A fresh activation module of the given kind (p is used by Drop-Activation only).</summary>
    public static nn.Module<Tensor, Tensor> Create(ActivationKind kind, double p) => kind switch
    {
        ActivationKind.ReLU => nn.ReLU(),
        ActivationKind.RReLU => DA.RandomizedReLU(),
        ActivationKind.DropAct => DA.DropAct(p),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Display name, e.g. "Drop-Activation (p=0.95)".</summary>
    public static string Label(ActivationKind kind, double p) => kind switch
    {
        ActivationKind.ReLU => "ReLU",
        ActivationKind.RReLU => "RReLU",
        ActivationKind.DropAct => FormattableString.Invariant($"Drop-Activation (p={p:0.###})"),
        _ => kind.ToString(),
    };
}

/// <summary>A progress report of a long analysis: which task, and how far (0..1).</summary>
public readonly record struct AnalysisProgress(string Task, double Fraction, string? Message = null);
