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
    /// The model's ONNX graph in evaluation form, composed of its blocks' exports in the order of
    /// <c>forward</c>. Every zoo model declares it next to its <c>forward</c>.
    /// </summary>
    public abstract string ExportOnnx(IOnnxGraph graph, string input);

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
