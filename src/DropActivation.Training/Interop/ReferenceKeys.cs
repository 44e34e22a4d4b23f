using System.Text.RegularExpressions;
using DropActivation.Models.Cifar;
using DropActivation.Models.ImageNet;
using static TorchSharp.torch;

namespace DropActivation.Training.Interop;

/// <summary>
/// State-dict key names of the reference PyTorch implementation of each zoo architecture, where they differ from
/// ours. Most zoo models already use the reference's names (torchvision's ResNet-18/34; bearpaw/pytorch-classification's
/// CIFAR ResNet and PreResNet; the simple CNN and regression MLP, whose names are their own); the others are renamed
/// here: bearpaw's Wide ResNet (<c>block1.layer.0.…</c>), DenseNet-BC (<c>dense1.0.…</c>, <c>trans1.…</c>), VGG
/// (<c>features.K.…</c>, numbered over every conv, BN, activation and pool) and ResNeXt-29 (<c>conv_1_3x3</c>,
/// <c>stage_1.stage_1_bottleneck_0.…</c>, <c>shortcut.shortcut_conv</c>); kuangliu/pytorch-cifar's ResNet-18
/// (<c>shortcut</c>); Cadene's SE-ResNet (<c>layer0.conv1</c>, <c>last_linear</c>).
/// </summary>
internal static partial class ReferenceKeys
{
    /// <summary>Our key → the reference's key, for every entry of <paramref name="model"/>'s state dict.</summary>
    public static IReadOnlyDictionary<string, string> For(nn.Module model)
    {
        var keys = model.state_dict().Keys.ToList();
        Func<string, string> rename = model switch
        {
            WideResNet => k => WrnBlock().Replace(k, "block$1.layer.$2."),
            DenseNetBC => k => DenseTransition().Replace(DenseBlock().Replace(k, "dense$1.$2."), "trans$1."),
            ResNeXt29 => ResNeXt,
            VggBN vgg => VggRenamer(vgg),
            ResNet18Cifar => k => k.Replace(".downsample.", ".shortcut.", StringComparison.Ordinal),
            SeResNet => k => k.StartsWith("conv1.", StringComparison.Ordinal) || k.StartsWith("bn1.", StringComparison.Ordinal)
                ? "layer0." + k
                : k.StartsWith("fc.", StringComparison.Ordinal) ? "last_linear." + k[3..] : k,
            _ => k => k,
        };
        var map = keys.ToDictionary(k => k, rename, StringComparer.Ordinal);
        if (map.Values.Distinct(StringComparer.Ordinal).Count() != map.Count)
            throw new InvalidOperationException($"Two keys of {model.GetName()} map to the same reference key.");
        return map;
    }

    private static string ResNeXt(string k)
    {
        if (k.StartsWith("conv1.", StringComparison.Ordinal)) return "conv_1_3x3." + k[6..];
        if (k.StartsWith("bn1.", StringComparison.Ordinal)) return "bn_1." + k[4..];
        var m = ResNeXtBlock().Match(k);
        if (!m.Success) return k;
        string s = m.Groups[1].Value, rest = m.Groups[3].Value;
        rest = rest.StartsWith("shortcut.0.", StringComparison.Ordinal) ? "shortcut.shortcut_conv." + rest[11..]
            : rest.StartsWith("shortcut.1.", StringComparison.Ordinal) ? "shortcut.shortcut_bn." + rest[11..]
            : rest;
        return $"stage_{s}.stage_{s}_bottleneck_{m.Groups[2].Value}.{rest}";
    }

    /// <summary>
    /// bearpaw's VGG keeps every layer in one <c>features</c> Sequential (conv, BN, ReLU per convolution, a max pool
    /// per stage), so the reference index of a layer is its position among all children of our five stages.
    /// </summary>
    private static Func<string, string> VggRenamer(VggBN vgg)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        int k = 0;
        foreach (var (stageName, stage) in vgg.named_children())
        {
            if (!stageName.StartsWith("stage", StringComparison.Ordinal)) continue;
            foreach (var (childName, _) in stage.named_children()) index[$"{stageName}.{childName}."] = k++;
        }
        return key =>
        {
            int dot = key.IndexOf('.', key.IndexOf('.') + 1);
            return dot > 0 && index.TryGetValue(key[..(dot + 1)], out int i) ? $"features.{i}.{key[(dot + 1)..]}" : key;
        };
    }

    [GeneratedRegex(@"^block(\d+)\.(\d+)\.")] private static partial Regex WrnBlock();
    [GeneratedRegex(@"^stage(\d+)\.(\d+)\.")] private static partial Regex DenseBlock();
    [GeneratedRegex(@"^stage(\d+)\.transition\.")] private static partial Regex DenseTransition();
    [GeneratedRegex(@"^stage(\d+)\.(\d+)\.(.*)$")] private static partial Regex ResNeXtBlock();
}
