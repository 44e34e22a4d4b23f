using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Simple;

/// <summary>
/// The fully connected network of the paper's regression demo (Figure 2): hidden layers of width
/// 1000, 800 and 200, each linear → act, then a linear output. Input features = <see cref="ModelConfig.InChannels"/>
/// (1: scalar in), outputs = <see cref="ModelConfig.NumClasses"/> (1: scalar out); inputs are [N, features].
/// Init: PyTorch defaults.
/// </summary>
public sealed class RegressionMlp : ZooModel
{
    private static readonly string[] Stages = { "hidden1", "hidden2", "hidden3" };

    /// <summary>Widths of the hidden layers.</summary>
    public static IReadOnlyList<int> HiddenWidths { get; } = new[] { 1000, 800, 200 };

    private readonly Sequential hidden1;
    private readonly Sequential hidden2;
    private readonly Sequential hidden3;
    private readonly Linear output;

    /// <summary>The regression MLP.</summary>
    public RegressionMlp(ModelConfig config) : base(nameof(RegressionMlp))
    {
        var plan = new ActivationPlan(config, Stages);
        long inFeatures = config.InChannels;
        var layers = new Sequential[3];
        for (int i = 0; i < 3; i++)
        {
            layers[i] = nn.Sequential(("linear", nn.Linear(inFeatures, HiddenWidths[i])), ("relu", plan.For(Stages[i])));
            inFeatures = HiddenWidths[i];
        }
        (hidden1, hidden2, hidden3) = (layers[0], layers[1], layers[2]);
        output = nn.Linear(inFeatures, config.NumClasses);
        RegisterComponents();
    }

    public override IReadOnlyList<string> StageNames => Stages;

    public override Linear Head => output;

    public override Tensor forward(Tensor x) => output.forward(hidden3.forward(hidden2.forward(hidden1.forward(x))));

    /// <summary>The same graph as <see cref="forward"/>, in evaluation form.</summary>
    public override string ExportOnnx(IOnnxGraph graph, string input) =>
        graph.Apply(output, graph.Apply(hidden3, graph.Apply(hidden2, graph.Apply(hidden1, input))));
}
