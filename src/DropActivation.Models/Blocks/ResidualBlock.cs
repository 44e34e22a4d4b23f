using DropActivation.Onnx;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// A residual block: the layers of <see cref="Residual"/> in turn, plus the shortcut of the raw input
/// (the identity where <see cref="Shortcut"/> is null), then <see cref="After"/> (the post-activation;
/// null in pre-activation blocks). <see cref="forward"/> and <see cref="ExportOnnx"/> both walk these,
/// so the training graph and the exported one cannot differ.
/// </summary>
public abstract class ResidualBlock(string name) : nn.Module<Tensor, Tensor>(name), IOnnxExportable
{
    /// <summary>The residual branch's layers, first to last.</summary>
    protected abstract IEnumerable<nn.Module<Tensor, Tensor>> Residual();

    /// <summary>The projection of the input when the shape changes; null: the identity.</summary>
    protected abstract nn.Module<Tensor, Tensor>? Shortcut { get; }

    /// <summary>The activation after the sum; null: none.</summary>
    protected virtual nn.Module<Tensor, Tensor>? After => null;

    public override Tensor forward(Tensor x)
    {
        var h = x;
        foreach (var layer in Residual()) h = layer.call(h);
        var sum = h.add(Shortcut is null ? x : Shortcut.call(x));
        return After is null ? sum : After.call(sum);
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var h = input;
        foreach (var layer in Residual()) h = graph.Apply(layer, h);
        var sum = graph.Add(h, Shortcut is null ? input : graph.Apply(Shortcut, input));
        return After is null ? sum : graph.Apply(After, sum);
    }
}
