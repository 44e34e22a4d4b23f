using DropActivation.Activations;
using DropActivation.Modules;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

public class SurgeryTests
{
    private static List<string> ReluPaths(nn.Module model) =>
        model.named_modules().Where(m => m.module is TorchSharp.Modules.ReLU).Select(m => m.name).ToList();

    /// <summary>An activation module that counts its calls: proves forward really uses the swapped-in modules.</summary>
    private sealed class Counting : TorchSharp.Modules.ParameterLessModule<Tensor, Tensor>
    {
        public int Calls;
        public Counting() : base(nameof(Counting)) { }
        public override Tensor forward(Tensor x) { Calls++; return x.relu(); }
    }

    [Fact]
    public void Every_relu_of_torchvision_resnet18_is_replaced_and_used()
    {
        using var model = torchvision.models.resnet18(num_classes: 10);
        var before = ReluPaths(model);
        Assert.True(before.Count >= 9, $"resnet18 should hold at least 9 ReLU modules, found {before.Count}");

        var counters = new List<Counting>();
        var report = ModelSurgery.ReplaceActivations(model, _ => { var c = new Counting(); counters.Add(c); return c; });
        Assert.Equal(before, report.Paths.ToList());
        Assert.Empty(ReluPaths(model));

        using var scope = torch.NewDisposeScope();
        model.call(torch.randn(2, 3, 64, 64));
        Assert.All(counters, c => Assert.True(c.Calls > 0, "a replaced module is not called by forward"));
    }

    [Fact]
    public void Drop_activation_on_resnet18_trains_and_evaluates()
    {
        using var model = torchvision.models.resnet18(num_classes: 10);
        int relus = ReluPaths(model).Count;
        var report = model.UseDropActivation(0.95);
        Assert.Equal(relus, report.Count);
        Assert.Equal(relus, model.modules().OfType<DropAct>().Count());
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 64, 64);
        model.call(x).sum().backward();
        model.eval();
        Assert.All(model.modules().OfType<DropAct>(), d => Assert.False(d.training));
        Assert.Equal(new long[] { 2, 10 }, model.call(x).shape);
    }

    [Fact]
    public void Last_two_stages_only_replaces_exactly_those()
    {
        using var model = torchvision.models.resnet18(num_classes: 10);
        var before = ReluPaths(model);
        var report = model.UseDropActivation(0.95, under: new[] { "layer3", "layer4" });
        var expected = before.Where(p => p.StartsWith("layer3.") || p.StartsWith("layer4.")).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, report.Paths.ToList());
        Assert.Equal(before.Except(expected).ToList(), ReluPaths(model));
        Assert.Equal(before.Count, report.ActivationsSeen);
    }

    [Fact]
    public void Unknown_stage_names_are_an_error_listing_the_real_ones()
    {
        using var model = torchvision.models.resnet18();
        var e = Assert.Throws<ArgumentException>(() => model.UseDropActivation(0.95, under: new[] { "stage9" }));
        Assert.Contains("stage9", e.Message);
        Assert.Contains("layer4", e.Message);
    }

    [Fact]
    public void Rrelu_surgery_replaces_relus_only()
    {
        var model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4), nn.Tanh(), nn.ReLU());
        var report = model.UseRandomizedReLU();
        Assert.Equal(new[] { "1", "4" }, report.Paths.ToArray());
        Assert.IsType<TorchSharp.Modules.Tanh>(model[3]);
        Assert.IsType<RandomizedReLU>(model[4]);
    }

    [Fact]
    public void Surgery_reaches_generic_activations_in_user_modules_and_keeps_their_mode()
    {
        var model = nn.Sequential(nn.Linear(4, 4), nn.GELU(), nn.Sequential(nn.Linear(4, 4), nn.SiLU()));
        model.eval();
        var report = model.UseDropActivation(0.9);
        Assert.Equal(2, report.Count);
        var layers = model.modules().OfType<DropAct>().ToList();
        Assert.Equal(new[] { "gelu", "silu" }, layers.Select(l => l.activation.Name).ToArray());
        Assert.All(layers, l => Assert.False(l.training));
        Assert.Contains("1: GELU -> DropAct(p=0.9, f=gelu)", report.ToString());
    }

    [Fact]
    public void A_field_typed_as_concrete_relu_gets_a_clear_error()
    {
        var model = new ConcreteField();
        var e = Assert.Throws<InvalidOperationException>(() => model.UseDropActivation());
        Assert.Contains("act", e.Message);
        Assert.Contains("Module<Tensor, Tensor>", e.Message);
    }

    private sealed class ConcreteField : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.ReLU act = nn.ReLU();
        public ConcreteField() : base(nameof(ConcreteField)) => RegisterComponents();
        public override Tensor forward(Tensor x) => act.call(x);
    }
}

public class FoldingTests
{
    [Fact]
    public void A_folded_model_computes_what_the_eval_mode_model_computes()
    {
        torch.manual_seed(0);
        var model = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), DA.DropAct(0.95),
            nn.Conv2d(8, 8, 3, padding: 1), DA.DropAct(ElementwiseActivation.Tanh, 0.8),
            nn.Conv2d(8, 8, 3, padding: 1), DA.RandomizedReLU(),
            nn.Conv2d(8, 8, 3, padding: 1), DA.DropAct(1.0),
            nn.Flatten(), nn.Linear(8 * 8 * 8, 5));
        using var scope = torch.NewDisposeScope();
        // A few training steps so BatchNorm's running statistics are not trivial.
        for (int i = 0; i < 3; i++) model.call(torch.randn(16, 3, 8, 8)).sum().backward();
        model.eval();
        var x = torch.randn(32, 3, 8, 8);
        var expected = model.call(x);

        var report = model.Fold();
        Assert.Equal(4, report.Count);
        Assert.Empty(model.modules().OfType<DropAct>());
        Assert.Empty(model.modules().OfType<RandomizedReLU>());
        Assert.IsType<TorchSharp.Modules.LeakyReLU>(model[2]);
        Assert.IsType<AveragedActivation>(model[4]);

        var folded = model.call(x);
        Assert.True((folded - expected).abs().max().item<float>() <= 1e-6f);
        // No randomness left: the folded activations give the same output in training mode.
        foreach (var m in model.modules().Where(m => m is TorchSharp.Modules.LeakyReLU or AveragedActivation)) m.train();
        var again = model.call(x);
        Assert.True((again - expected).abs().max().item<float>() <= 1e-6f);
    }
}

public class ActivationRecognitionTests
{
    [Fact]
    public void An_elu_with_its_own_alpha_keeps_that_alpha_after_surgery()
    {
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(nn.ELU(alpha: 0.5), nn.ELU());
        model.UseDropActivation(1.0); // p = 1: Drop-Activation is exactly f
        var x = torch.linspace(-3, 3, 61);
        Assert.True(model.call(x).allclose(nn.functional.elu(nn.functional.elu(x, 0.5), 1.0), rtol: 1e-6, atol: 1e-7));
        var names = model.modules().OfType<DropAct>().Select(d => d.activation.Name).ToArray();
        Assert.Equal(new[] { "elu(alpha=0.5)", "elu" }, names);
    }

    [Fact]
    public void Every_recognised_activation_keeps_its_settings_through_surgery()
    {
        using var scope = torch.NewDisposeScope();
        // p = 1: Drop-Activation computes exactly f, so any lost setting shows in the values.
        var cases = new (nn.Module<Tensor, Tensor> Module, Func<Tensor, Tensor> Expected)[]
        {
            (nn.ReLU(inplace: true), x => x.relu()),
            (nn.Tanh(), x => x.tanh()),
            (nn.Sigmoid(), x => x.sigmoid()),
            (nn.GELU(), x => nn.functional.gelu(x)),
            (nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh), x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh)),
            (nn.SiLU(inplace: true), x => nn.functional.silu(x)),
            (nn.ELU(alpha: 0.3), x => nn.functional.elu(x, 0.3)),
        };
        var x = torch.linspace(-4, 4, 801, dtype: ScalarType.Float64);
        foreach (var (module, expected) in cases)
        {
            var model = nn.Sequential(module);
            Assert.Equal(1, model.UseDropActivation(1.0).Count);
            var got = model.call(x);
            Assert.True(got.allclose(expected(x), rtol: 0, atol: 1e-12), $"{module.GetType().Name} lost a setting in surgery");
            // And the folded form at p < 1 averages that same f.
            var model2 = nn.Sequential(module);
            model2.UseDropActivation(0.8);
            model2.Fold();
            Assert.True(model2.call(x).allclose(0.2 * x + 0.8 * expected(x), rtol: 0, atol: 1e-12), $"{module.GetType().Name}: the folded form is not (1-p)x + p f(x)");
        }
        // The tanh approximation really differs from exact GELU here, so the check above can fail.
        Assert.False(nn.functional.gelu(x).allclose(nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh), rtol: 0, atol: 1e-6));
    }
}
