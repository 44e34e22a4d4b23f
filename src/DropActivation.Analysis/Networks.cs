using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis;

/// <summary>The small networks of the analyses.</summary>
public static class Networks
{
    /// <summary>
    /// A fully connected network widths[0] → … → widths[^1] with a fresh activation module after every
    /// hidden layer (none after the output layer). Layers are named fc0, act0, fc1, …
    /// </summary>
    public static nn.Module<Tensor, Tensor> Mlp(IReadOnlyList<int> widths, Func<nn.Module<Tensor, Tensor>> activation)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(activation);
        if (widths.Count < 2 || widths.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(widths), "An MLP needs at least two positive widths.");
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            layers.Add(($"fc{i}", nn.Linear(widths[i], widths[i + 1])));
            if (i + 2 < widths.Count) layers.Add(($"act{i}", activation()));
        }
        return nn.Sequential(layers.ToArray());
    }
}
