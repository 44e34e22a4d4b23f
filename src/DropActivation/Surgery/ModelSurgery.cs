using DropActivation.Activations;
using DropActivation.Modules;
using static TorchSharp.torch;

namespace DropActivation.Surgery;

/// <summary>
/// Model surgery: swap the activation modules of any TorchSharp model (yours, TorchVision's, the
/// zoo's) for Drop-Activation or RReLU, everywhere or only below named submodules (the paper uses
/// Drop-Activation in the last two stages only on ImageNet), and fold a trained model back into a
/// deterministic one for deployment.
/// </summary>
public static class ModelSurgery
{
    /// <summary>
    /// Replaces every activation module that <paramref name="recognise"/> accepts (by default:
    /// ReLU, Tanh, Sigmoid, GELU, SiLU, ELU) by what <paramref name="replace"/> builds for it.
    /// With <paramref name="under"/>, only modules at or below those paths (e.g. "layer3", "layer4").
    /// <para>
    /// Unless <paramref name="avoidStridedPointwiseConvolutions"/> is false, it also replaces every strided 1×1
    /// convolution of the whole model as <see cref="AvoidStridedPointwiseConvolutions"/> does (same function, same
    /// state-dict keys, the weights moved over; listed in <see cref="SurgeryReport.ProtectedConvolutions"/>): without
    /// it, the backward pass of TorchVision's ResNet-50 and deeper kills the process on AVX-512 CPUs without AMX.
    /// </para>
    /// </summary>
    public static SurgeryReport ReplaceActivations(
        nn.Module model,
        Func<ElementwiseActivation, nn.Module<Tensor, Tensor>> replace,
        IEnumerable<string>? under = null,
        Func<nn.Module, ElementwiseActivation?>? recognise = null,
        bool avoidStridedPointwiseConvolutions = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(replace);
        recognise ??= ElementwiseActivation.FromModule;
        var prefixes = CheckPrefixes(model, under);

        var edges = ModuleTree.Edges(model).ToList();
        var done = new List<Replacement>();
        int seen = 0;
        foreach (var (parent, name, child, path) in edges)
        {
            var f = recognise(child);
            if (f is null) continue;
            seen++;
            if (prefixes.Count > 0 && !prefixes.Any(prefix => ModuleTree.IsUnder(path, prefix))) continue;
            var replacement = replace(f);
            // Keep the model's mode: a model in eval() stays in eval().
            replacement.train(child.training);
            ModuleTree.Replace(parent, name, child, replacement, path);
            done.Add(new Replacement(path, Describe(child), Describe(replacement)));
        }
        var convolutions = avoidStridedPointwiseConvolutions ? model.AvoidStridedPointwiseConvolutions().Replacements : [];
        return new SurgeryReport(done, seen, convolutions);
    }

    /// <summary>
    /// Drop-Activation with keep probability p in place of every (or every named) activation module; strided 1×1
    /// convolutions are made safe unless <paramref name="avoidStridedPointwiseConvolutions"/> is false (see <see cref="ReplaceActivations"/>).
    /// </summary>
    public static SurgeryReport UseDropActivation(this nn.Module model, double p = DA.DefaultP, IEnumerable<string>? under = null,
        bool avoidStridedPointwiseConvolutions = true)
    {
        DA.CheckP(p, nameof(p));
        return ReplaceActivations(model, f => DA.DropAct(f, p), under, avoidStridedPointwiseConvolutions: avoidStridedPointwiseConvolutions);
    }

    /// <summary>
    /// The paper's RReLU baseline in place of every (or every named) ReLU module; strided 1×1 convolutions are made
    /// safe unless <paramref name="avoidStridedPointwiseConvolutions"/> is false (see <see cref="ReplaceActivations"/>).
    /// </summary>
    public static SurgeryReport UseRandomizedReLU(this nn.Module model, double lower = DA.DefaultRReLULower,
        double upper = DA.DefaultRReLUUpper, IEnumerable<string>? under = null, bool avoidStridedPointwiseConvolutions = true)
    {
        DA.CheckSlopes(lower, upper);
        return ReplaceActivations(model, _ => DA.RandomizedReLU(lower, upper), under,
            m => m is TorchSharp.Modules.ReLU ? ElementwiseActivation.ReLU : null, avoidStridedPointwiseConvolutions);
    }

    /// <summary>
    /// Folding: turns every Drop-Activation layer into its deterministic test-time form
    /// (TorchSharp's LeakyReLU with slope 1-p for ReLU, <see cref="AveragedActivation"/> otherwise)
    /// and every RandomizedReLU into LeakyReLU((lower+upper)/2). The folded model computes what
    /// the original computes in eval mode, in either mode, with no randomness.
    /// </summary>
    public static SurgeryReport Fold(this nn.Module model) =>
        SwapEach(model, child => child switch
        {
            DropAct d when d.p == 1.0 && d.activation.IsReLU => nn.ReLU(),
            DropAct d when d.activation.IsReLU => nn.LeakyReLU(1.0 - d.p),
            DropAct d => DA.AveragedActivation(d.activation, d.p),
            RandomizedReLU r => nn.LeakyReLU((r.lower + r.upper) / 2.0),
            _ => null,
        });

    /// <summary>
    /// Replaces every strided 1×1 convolution (kernel 1, stride above 1, no padding) by a
    /// <see cref="StridedPointwiseConv2d"/> that takes over its parameters: the same results and
    /// state-dict keys, but a backward pass that never reaches the strided 1×1 kernel with which
    /// libtorch 2.10's oneDNN kills the process on AVX-512 CPUs (TorchVision's ResNet-50 and
    /// deeper have such convolutions in their downsampling shortcuts).
    /// </summary>
    public static SurgeryReport AvoidStridedPointwiseConvolutions(this nn.Module model) =>
        SwapEach(model, child => child is TorchSharp.Modules.Conv2d conv && StridedPointwiseConv2d.CanReplace(conv)
            ? new StridedPointwiseConv2d(conv)
            : null);

    /// <summary>Puts what <paramref name="swap"/> returns in place of each module it returns one for, keeping the mode.</summary>
    private static SurgeryReport SwapEach(nn.Module model, Func<nn.Module, nn.Module?> swap)
    {
        ArgumentNullException.ThrowIfNull(model);
        var edges = ModuleTree.Edges(model).ToList();
        var done = new List<Replacement>();
        foreach (var (parent, name, child, path) in edges)
        {
            if (swap(child) is not { } replacement) continue;
            replacement.train(child.training);
            ModuleTree.Replace(parent, name, child, replacement, path);
            done.Add(new Replacement(path, Describe(child), Describe(replacement)));
        }
        return new SurgeryReport(done, done.Count);
    }

    private static List<string> CheckPrefixes(nn.Module model, IEnumerable<string>? under)
    {
        var prefixes = under?.Select(s => s.Trim()).Where(s => s.Length > 0).ToList() ?? new List<string>();
        if (prefixes.Count == 0) return prefixes;
        var paths = ModuleTree.Edges(model).Select(e => e.Path).ToHashSet();
        var unknown = prefixes.Where(prefix => !paths.Contains(prefix)).ToList();
        if (unknown.Count > 0)
        {
            var top = model.named_children().Select(c => c.name);
            throw new ArgumentException(
                $"No submodule named {string.Join(", ", unknown.Select(u => $"'{u}'"))} in {model.GetType().Name}. Top-level submodules: {string.Join(", ", top)}.",
                nameof(under));
        }
        return prefixes;
    }

    private static string Describe(nn.Module module) => module switch
    {
        DropAct or RandomizedReLU or AveragedActivation or StridedPointwiseConv2d => module.ToString()!,
        TorchSharp.Modules.Conv2d c => $"Conv2d({c.in_channels}, {c.out_channels}, kernel_size={c.kernel_size[0]}, stride={c.stride[0]})",
        TorchSharp.Modules.LeakyReLU l => $"LeakyReLU(negative_slope={l.negative_slope})",
        _ => module.GetType().Name,
    };
}
