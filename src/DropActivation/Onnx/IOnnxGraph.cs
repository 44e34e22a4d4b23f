using static TorchSharp.torch;

namespace DropActivation.Onnx;

/// <summary>
/// The ONNX graph under construction, as the modules see it while they export themselves
/// (<see cref="IOnnxExportable"/>): tensors are named by strings, nodes and initializers are added
/// here, and submodules are exported by <see cref="Apply"/>. Implemented by DropActivation.Onnx's
/// OnnxGraphBuilder, which also knows TorchSharp's own layers (Conv2d, BatchNorm2d, Linear, pooling,
/// activations, Sequential, Dropout).
/// </summary>
public interface IOnnxGraph
{
    /// <summary>The ONNX operator set version (default domain) the graph is written for.</summary>
    int Opset { get; }

    /// <summary>
    /// Fails with an <see cref="OnnxExportException"/> naming <paramref name="construct"/> when the
    /// graph's opset is below <paramref name="minimumOpset"/>.
    /// </summary>
    void RequireOpset(int minimumOpset, string construct);

    /// <summary>Exports <paramref name="module"/> (a child of the module being exported) applied to <paramref name="input"/>; returns the result's name.</summary>
    /// <exception cref="OnnxExportException">The module has no ONNX export.</exception>
    string Apply(nn.Module module, string input);

    /// <summary>Adds a node of the default domain; returns the name of its (single) output.</summary>
    string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes);

    /// <summary>
    /// Adds <paramref name="value"/> (converted to float32) as an initializer named after the module being
    /// exported and <paramref name="name"/> (e.g. "layer1.0.conv1.weight"); returns the initializer's name.
    /// </summary>
    string Initializer(Tensor value, string name);

    /// <summary>A float32 constant of the given shape and values (e.g. a scalar with shape []).</summary>
    string Constant(string name, long[] shape, float[] values);
}
