using DropActivation.Onnx;
using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>
/// Base of every zoo model: a TorchSharp module that names its stages (top-level submodules,
/// first to last) and its final classifier, so "Drop-Activation in the last two stages" and
/// parameter counts per class count can be expressed without knowing the architecture.
/// </summary>
public abstract class ZooModel : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>Creates the module with TorchSharp's name and its stage names.</summary>
    protected ZooModel(string name, IReadOnlyList<string> stageNames) : base(name) => StageNames = stageNames;

    /// <summary>Names of the stages, top-level submodules, first to last.</summary>
    public IReadOnlyList<string> StageNames { get; }

    /// <summary>The final linear layer (classifier or regression output), the only class-dependent layer.</summary>
    public abstract TorchSharp.Modules.Linear Head { get; }

    /// <summary>
    /// The model's layers in the order of its forward pass, first to last; a null entry flattens the
    /// image to [N, features] (torch's <c>x.flatten(1)</c>). <see cref="forward"/> and <see cref="ExportOnnx"/>
    /// both walk it, so the training graph and the exported one cannot differ.
    /// </summary>
    protected abstract IEnumerable<nn.Module<Tensor, Tensor>?> Chain();

    /// <summary>Every layer of <see cref="Chain"/> in turn.</summary>
    public override Tensor forward(Tensor x)
    {
        foreach (var layer in Chain()) x = layer is null ? x.flatten(1) : layer.call(x);
        return x;
    }

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form: each layer's own export in turn.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var layer in Chain()) input = layer is null ? graph.Flatten(input) : graph.Apply(layer, input);
        return input;
    }

    /// <summary>Number of parameters (all trainable).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>
    /// Number of parameters this architecture has with <paramref name="numClasses"/> outputs: only the
    /// head depends on the class count, so count = total − head + (in_features + 1)·numClasses.
    /// </summary>
    public long ParameterCount(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        long head = Head.parameters().Sum(p => p.numel());
        long perClass = Head.in_features + (Head.bias is null ? 0 : 1);
        return ParameterCount() - head + perClass * numClasses;
    }
}
