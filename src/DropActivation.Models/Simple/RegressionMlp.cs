using DropActivation.Models.Registry;
using DropActivation.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Simple;

/// <summary>
/// The fully connected network of the paper's regression demo (Figure 2): hidden layers of width
/// 1000, 800 and 200 (other widths on request, e.g. the digits comparison's 256, 256), each
/// linear → act, then a linear output. Input features = <see cref="ModelConfig.InChannels"/>
/// (1: scalar in), outputs = <see cref="ModelConfig.NumClasses"/> (1: scalar out); inputs are [N, features].
/// Stages hidden1, hidden2, …; init: PyTorch defaults, layer by layer from input to output.
/// </summary>
public sealed class RegressionMlp : ZooModel
{
    private readonly Sequential[] _hidden;
    private readonly Linear output;

    /// <summary>Widths of the paper's hidden layers.</summary>
    public static IReadOnlyList<int> HiddenWidths { get; } = new[] { 1000, 800, 200 };

    private const string Title = "Figure 2's regression network: scalar → 1000 → 800 → 200 → scalar";

    /// <summary>Registry entry: mlp-regression, the paper's widths.</summary>
    public static ModelFamily Family { get; } = new("mlp", "mlp-regression", Title, "^mlp-regression$", StageNamesFor(HiddenWidths.Count),
        "the paper, Section 3.2 (Figure 2)", _ => new(Title, c => new RegressionMlp(c)))
    { PaperNames = ["mlp-regression"], ImageSize = 1, InChannels = 1, ClassCounts = [1], MinImageSize = 0 };

    private static string[] StageNamesFor(int layers) => Enumerable.Range(1, layers).Select(i => $"hidden{i}").ToArray();

    /// <summary>The regression MLP with the paper's hidden widths, or with <paramref name="hiddenWidths"/> when given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No hidden layer, or a width below 1.</exception>
    public RegressionMlp(ModelConfig config, IReadOnlyList<int>? hiddenWidths = null) : base(nameof(RegressionMlp), StageNamesFor((hiddenWidths ?? HiddenWidths).Count))
    {
        ArgumentNullException.ThrowIfNull(config);
        var widths = hiddenWidths ?? HiddenWidths;
        if (widths.Count == 0 || widths.Any(w => w < 1))
            throw new ArgumentOutOfRangeException(nameof(hiddenWidths), "The MLP needs at least one hidden layer, every width positive.");
        var plan = new ActivationPlan(config, StageNames);
        long inFeatures = config.InChannels;
        _hidden = new Sequential[widths.Count];
        for (int i = 0; i < widths.Count; i++)
        {
            _hidden[i] = nn.Sequential(("linear", nn.Linear(inFeatures, widths[i])), ("relu", plan.For(StageNames[i])));
            register_module(StageNames[i], _hidden[i]);
            inFeatures = widths[i];
        }
        output = nn.Linear(inFeatures, config.NumClasses);
        RegisterComponents();
    }

    public override Linear Head => output;

    protected override IEnumerable<nn.Module<Tensor, Tensor>?> Chain() => [.. _hidden, output];
}
