using DropActivation.Activations;
using DropActivation.Models.Registry;
using DropActivation.Modules;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Models.Tests;

/// <summary>
/// Activations are modules: counted exactly, reached by eval()/train(), built by the config's factory
/// (everywhere or in chosen stages only), and the same set model surgery would replace.
/// </summary>
public sealed class ActivationLayerTests
{
    public static TheoryData<string, int> Counts => new()
    {
        { "vgg19-bn", 16 },            // one per convolution
        { "resnet110", 109 },          // stem + 2 per basic block × 54
        { "resnet164", 163 },          // stem + 3 per bottleneck × 54
        { "preresnet164", 163 },       // 3 per bottleneck × 54 + the final BN-ReLU
        { "wrn-28-10", 25 },           // 2 per block × 12 + final
        { "wrn-16-8", 13 },            // 2 per block × 6 + final
        { "densenet-bc-100-12", 99 },  // 2 per bottleneck × 48 + 2 transitions + final
        { "densenet-bc-190-40", 189 }, // 2 × 93 + 2 + 1
        { "resnext29-8x64d", 28 },     // stem + 3 per block × 9
        { "resnet18-cifar", 17 },      // stem + 2 × 8
        { "resnet34", 33 },            // stem + 2 × 16
        { "se-resnet50", 65 },         // stem + (3 + 1 in the SE module) × 16; the SE sigmoid gate is not an activation layer
        { "simple-cnn", 4 },           // 3 blocks + after fc 1000
        { "mlp-regression", 3 },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Activation_layers_are_counted_and_all_built_by_the_factory(string name, int expected)
    {
        var config = ModelRegistry.Describe(name).DefaultConfig() with { Activation = ActivationFactory.FromName("dropact", 0.9) };
        using var model = ModelRegistry.Create(name, config);
        var layers = ModelRegistry.ActivationLayers(model);
        Assert.Equal(expected, layers.Count);
        Assert.All(layers, l => Assert.Equal(0.9, Assert.IsType<DropAct>(l.Module).p));
        // Distinct modules: the factory builds one per place.
        Assert.Equal(expected, layers.Select(l => l.Module).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Eval_and_train_reach_every_activation_layer(string name, int expected)
    {
        var config = ModelRegistry.Describe(name).DefaultConfig() with { Activation = ActivationFactory.FromName("rrelu") };
        using var model = ModelRegistry.Create(name, config);
        var layers = ModelRegistry.ActivationLayers(model);
        Assert.Equal(expected, layers.Count);
        model.eval();
        Assert.All(layers, l => Assert.False(l.Module.training, $"{l.Path} still training after eval()"));
        model.train();
        Assert.All(layers, l => Assert.True(l.Module.training, $"{l.Path} not training after train()"));
    }

    [Fact]
    public void Drop_activation_is_deterministic_in_eval_and_random_in_train()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelRegistry.Create("resnet-20", new ModelConfig(10) { Activation = ActivationFactory.FromName("dropact", 0.5) });
        var x = torch.randn(2, 3, 32, 32);
        model.eval();
        using (torch.no_grad())
        {
            Assert.True(model.forward(x).eq(model.forward(x)).all().item<bool>());
            model.train();
            Assert.False(model.forward(x).eq(model.forward(x)).all().item<bool>());
        }
    }

    [Theory]
    [InlineData("resnet34", 1 + 2 * 3 + 2 * 4, 2 * 6 + 2 * 3)]
    [InlineData("se-resnet50", 1 + 4 * 3 + 4 * 4, 4 * 6 + 4 * 3)]
    [InlineData("resnet110", 1 + 2 * 18, 2 * 18 * 2)]
    public void Last_two_stages_only_keeps_relu_in_the_first_stages(string name, int relus, int dropActs)
    {
        var stages = ModelRegistry.LastStages(name, 2);
        var config = ModelRegistry.Describe(name).DefaultConfig() with
        {
            Activation = ActivationFactory.FromName("dropact"),
            ActivationStages = stages,
        };
        using var model = ModelRegistry.Create(name, config);
        var layers = ModelRegistry.ActivationLayers(model);
        bool InLast(string path) => stages.Any(s => path.StartsWith(s + ".", StringComparison.Ordinal));
        var first = layers.Where(l => !InLast(l.Path)).ToList();
        var last = layers.Where(l => InLast(l.Path)).ToList();
        Assert.Equal(relus, first.Count);
        Assert.Equal(dropActs, last.Count);
        Assert.All(first, l => Assert.IsType<TorchSharp.Modules.ReLU>(l.Module));
        Assert.All(last, l => Assert.IsType<DropAct>(l.Module));

        // The same places model surgery replaces on a plain model.
        using var plain = ModelRegistry.Create(name);
        var report = plain.UseDropActivation(DropActivation.DA.DefaultP, under: ModelRegistry.LastStages(plain, 2));
        var surgeryPaths = ModelRegistry.ActivationLayers(plain).Where(l => l.Module is DropAct).Select(l => l.Path);
        Assert.Equal(last.Select(l => l.Path), surgeryPaths);
    }

    [Fact]
    public void Surgery_on_se_resnet_leaves_the_sigmoid_gates()
    {
        using var model = ModelRegistry.Create("se-resnet50");
        model.UseDropActivation();
        Assert.All(ModelRegistry.ActivationLayers(model), l => Assert.IsType<DropAct>(l.Module));
        Assert.Equal(16, model.modules().OfType<Blocks.SigmoidGate>().Count());
    }

    [Fact]
    public void Unknown_stage_is_rejected_with_the_model_stages()
    {
        var config = new ModelConfig(10) { Activation = ActivationFactory.FromName("dropact"), ActivationStages = new[] { "layer4" } };
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet110", config));
        Assert.Contains("layer4", e.Message);
        Assert.Contains("layer1, layer2, layer3", e.Message);
    }

    [Fact]
    public void A_factory_returning_the_same_module_twice_is_rejected()
    {
        var shared = nn.ReLU();
        var config = new ModelConfig(10) { Activation = () => shared };
        Assert.Throws<InvalidOperationException>(() => ModelRegistry.Create("resnet-20", config));
    }

    [Theory]
    [InlineData("relu", typeof(TorchSharp.Modules.ReLU))]
    [InlineData("RReLU", typeof(RandomizedReLU))]
    [InlineData("dropact", typeof(DropAct))]
    [InlineData("dropact-tanh", typeof(DropAct))]
    [InlineData("gelu", typeof(TorchSharp.Modules.GELU))]
    [InlineData("gelu-tanh", typeof(TorchSharp.Modules.GELU))]
    public void Activation_factory_by_name(string name, Type expected)
    {
        var factory = ActivationFactory.FromName(name, 0.8);
        var a = factory();
        var b = factory();
        Assert.IsType(expected, a);
        Assert.NotSame(a, b);
        if (a is DropAct d) Assert.Equal(0.8, d.p);
    }

    [Fact]
    public void Activation_factory_rejects_unknown_names_and_bad_p()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationFactory.FromName("swishy"));
        Assert.Contains("dropact", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationFactory.FromName("dropact", 1.5));
    }

    [Fact]
    public void Activation_table_covers_every_name_and_label()
    {
        Assert.Equal(ActivationFactory.All.Select(a => a.Name).Distinct(), ActivationFactory.Names);
        // Every built-in element-wise f is there plain and wrapped (ReLU wrapped is "dropact").
        foreach (var f in new[] { "tanh", "sigmoid", "gelu", "gelu-tanh", "silu", "elu" })
            Assert.Subset(ActivationFactory.Names.ToHashSet(), new HashSet<string> { ElementwiseActivation.FromName(f).Name, "dropact-" + f });
        foreach (var a in ActivationFactory.All)
        {
            using var m = ActivationFactory.FromName(a.Name, 0.9)();
            Assert.True(ActivationFactory.IsActivation(m), a.Name);
            Assert.Equal(a.Name.StartsWith("dropact", StringComparison.Ordinal), a.TakesP); // the sweeps' rule for p
            Assert.Equal(a.TakesP, m is DropAct);
        }
        // The labels reports, plots and CSVs print.
        Assert.Equal(
            new[] { "ReLU", "RReLU", "Drop-Activation (p=0.9)", "Drop-Activation around tanh (p=0.9)", "Drop-Activation around sigmoid (p=0.9)",
                "Drop-Activation around gelu (p=0.9)", "Drop-Activation around gelu-tanh (p=0.9)", "Drop-Activation around silu (p=0.9)",
                "Drop-Activation around elu (p=0.9)", "tanh", "sigmoid", "gelu", "gelu-tanh", "silu", "elu", "mystery" },
            ActivationFactory.Names.Append("mystery").Select(n => ActivationFactory.Label(n, 0.9)));
        Assert.Equal("Drop-Activation (p = 0.95)", ActivationFactory.Get("dropact").Label(0.95, " = "));
        Assert.Equal(new[] { "Baseline", "RReLU", "Drop-Act", "Drop-Act p=0.9", "dropact-tanh", "tanh" },
            new[] { ("relu", 0.9), ("rrelu", 0.9), ("dropact", 0.95), ("dropact", 0.9), ("dropact-tanh", 0.9), ("tanh", 0.95) }
                .Select(x => ActivationFactory.Get(x.Item1).ReportLabel(x.Item2)));
    }
}
