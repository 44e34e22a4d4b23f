using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>
/// Hu et al.'s squeeze-and-excitation module, as in Cadene/pretrained-models.pytorch's SEModule:
/// global average pool → 1×1 conv (C → C/r, bias) → act → 1×1 conv (C/r → C, bias) → sigmoid gate,
/// multiplied onto the input.
/// </summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly AdaptiveAvgPool2d avg_pool;
    private readonly Conv2d fc1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Conv2d fc2;
    private readonly SigmoidGate sigmoid;

    /// <summary>An SE module for <paramref name="channels"/> channels with reduction <paramref name="reduction"/>.</summary>
    public SqueezeExcitation(long channels, long reduction, ActivationPlan plan, string stage) : base(nameof(SqueezeExcitation))
    {
        avg_pool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(channels, channels / reduction, kernel_size: 1);
        relu = plan.For(stage);
        fc2 = nn.Conv2d(channels / reduction, channels, kernel_size: 1);
        sigmoid = new SigmoidGate();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var s = fc2.call(relu.call(fc1.call(avg_pool.call(x))));
        return x.mul(sigmoid.call(s));
    }

    /// <summary>The same graph as <see cref="forward"/>: pool, two 1×1 convolutions, the sigmoid gate, multiplied onto the input.</summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var s = graph.Apply(fc2, graph.Apply(relu, graph.Apply(fc1, graph.Apply(avg_pool, input))));
        return graph.Mul(input, graph.Apply(sigmoid, s));
    }
}
