using System.Text;

namespace DropActivation.Surgery;

/// <summary>One module swapped by model surgery: where it sits and what it was and became.</summary>
public sealed record Replacement(string Path, string Before, string After);

/// <summary>What a model surgery changed, in module order.</summary>
public sealed class SurgeryReport
{
    public SurgeryReport(IReadOnlyList<Replacement> replacements, int activationsSeen, IReadOnlyList<Replacement>? protectedConvolutions = null)
    {
        Replacements = replacements;
        ActivationsSeen = activationsSeen;
        ProtectedConvolutions = protectedConvolutions ?? [];
    }

    /// <summary>
    /// The strided 1×1 convolutions that an activation surgery also replaced by <see cref="Modules.StridedPointwiseConv2d"/>
    /// (same function and state-dict keys; a backward pass that libtorch 2.10's oneDNN cannot crash in on AVX-512 CPUs).
    /// </summary>
    public IReadOnlyList<Replacement> ProtectedConvolutions { get; }

    /// <summary>The swapped modules, in the order named_modules() visits them.</summary>
    public IReadOnlyList<Replacement> Replacements { get; }

    /// <summary>How many modules of a replaceable kind the model held, replaced or not.</summary>
    public int ActivationsSeen { get; }

    public int Count => Replacements.Count;

    public IEnumerable<string> Paths => Replacements.Select(r => r.Path);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"replaced {Count} of {ActivationsSeen} activation modules");
        foreach (var r in Replacements) sb.AppendLine($"  {r.Path}: {r.Before} -> {r.After}");
        if (ProtectedConvolutions.Count > 0)
        {
            sb.AppendLine($"replaced {ProtectedConvolutions.Count} strided 1×1 convolutions (oneDNN's strided 1×1 backward can kill the process on AVX-512 CPUs without AMX)");
            foreach (var r in ProtectedConvolutions) sb.AppendLine($"  {r.Path}: {r.Before} -> {r.After}");
        }
        return sb.ToString();
    }
}
