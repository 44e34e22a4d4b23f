using DropActivation.Models.Registry;

namespace DropActivation.Models.Tests;

/// <summary>Names, parametric forms, config checks and stage helpers of the registry.</summary>
public sealed class RegistryTests
{
    [Fact]
    public void Names_are_the_paper_models_and_each_describes_itself()
    {
        Assert.Equal(14, ModelRegistry.Names.Count);
        foreach (var name in ModelRegistry.Names)
        {
            var info = ModelRegistry.Describe(name);
            Assert.Equal(name, info.Name);
            Assert.False(string.IsNullOrWhiteSpace(info.Description));
            Assert.False(string.IsNullOrWhiteSpace(info.Reference));
            Assert.NotEmpty(info.ClassCounts);
            Assert.True(info.Stages.Count >= 3, name);
        }
        Assert.Equal(224, ModelRegistry.Describe("se-resnet50").DefaultImageSize);
        Assert.Equal(new[] { 1000 }, ModelRegistry.Describe("resnet34").ClassCounts);
        Assert.Equal(new[] { 10, 100 }, ModelRegistry.Describe("wrn-28-10").ClassCounts);
    }

    [Fact]
    public void Unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet-9000x"));
        Assert.Contains("vgg19-bn", e.Message);
        Assert.Contains("wrn-<depth>-<k>", e.Message);
    }

    [Theory]
    [InlineData("resnet-21")]          // neither 6n+2 nor 9n+2
    [InlineData("resnet-20-basic-x")]
    [InlineData("resnet-22-bottleneck")] // 22 − 2 is no multiple of 9
    [InlineData("wrn-27-10")]
    [InlineData("densenet-bc-101-12")]
    [InlineData("resnext29-0x64d")]
    [InlineData("vgg15-bn")]
    public void Impossible_shapes_are_rejected(string name) =>
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(name));

    [Fact]
    public void Stage_blocks_follow_the_depth()
    {
        using var resnet56 = ModelRegistry.Create("resnet-56");
        Assert.Equal(1 + 2 * 27, ModelRegistry.ActivationLayers(resnet56).Count);
        using var pre110 = ModelRegistry.Create("preresnet-110");
        Assert.Equal(2 * 54 + 1, ModelRegistry.ActivationLayers(pre110).Count);
        using var wrn404 = ModelRegistry.Create("wrn-40-4");
        Assert.Equal(2 * 18 + 1, ModelRegistry.ActivationLayers(wrn404).Count);
        using var dense = ModelRegistry.Create("densenet-bc-40-12");
        Assert.Equal(2 * 18 + 2 + 1, ModelRegistry.ActivationLayers(dense).Count);
        // Cardinality 16 doubles the grouped 3×3 convs' width: more parameters than 8×64d.
        using var rx16 = ModelRegistry.Create("resnext29-16x64d");
        Assert.True(rx16.ParameterCount() > 34_426_698);
    }

    [Fact]
    public void Wide_resnet_dropout_defaults_to_the_paper_and_can_be_overridden()
    {
        Assert.Equal(0.3, ModelRegistry.Describe("wrn-28-10").DefaultDropout);
        Assert.Equal(0.4, ModelRegistry.Describe("wrn-16-8").DefaultDropout);
        using var wrn = ModelRegistry.Create("wrn-16-8");
        var drops = wrn.modules().OfType<TorchSharp.Modules.Dropout>().ToList();
        Assert.Equal(6, drops.Count);
        using var none = ModelRegistry.Create("wrn-16-8", new ModelConfig(10) { Dropout = 0.0 });
        Assert.Empty(none.modules().OfType<TorchSharp.Modules.Dropout>());
        // Dropout only moves with eval()/train() too.
        wrn.eval();
        Assert.All(drops, d => Assert.False(d.training));
    }

    [Fact]
    public void Dropout_on_a_model_without_dropout_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet110", new ModelConfig(10) { Dropout = 0.3 }));
        Assert.Contains("no dropout", e.Message);
    }

    [Fact]
    public void Config_values_are_checked()
    {
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet110", new ModelConfig(0)));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet110", new ModelConfig(10, 0)));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create("simple-cnn", new ModelConfig(10, 1, 7)));
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet34", new ModelConfig(1000, 3, 16)));
    }

    [Fact]
    public void Last_stages_by_name_and_by_model()
    {
        Assert.Equal(new[] { "layer3", "layer4" }, ModelRegistry.LastStages("resnet34", 2));
        Assert.Equal(new[] { "layer3", "layer4" }, ModelRegistry.LastStages("se-resnet50", 2));
        Assert.Equal(new[] { "block2", "block3" }, ModelRegistry.LastStages("wrn-28-10", 2));
        using var model = ModelRegistry.Create("densenet-bc-100-12");
        Assert.Equal(new[] { "stage2", "stage3" }, ModelRegistry.LastStages(model, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelRegistry.LastStages("resnet110", 4));
        // Every stage name is a top-level submodule.
        foreach (var name in new[] { "vgg19-bn", "resnet110", "wrn-16-8", "resnext29-8x64d", "simple-cnn", "mlp-regression" })
        {
            using var m = ModelRegistry.Create(name);
            var top = m.named_children().Select(c => c.name).ToHashSet();
            Assert.All(m.StageNames, s => Assert.Contains(s, top));
            Assert.Equal(ModelRegistry.Describe(name).Stages, m.StageNames);
        }
    }

    [Fact]
    public void List_filters_the_names_with_a_glob()
    {
        Assert.Equal(ModelRegistry.Names, ModelRegistry.List());
        Assert.Equal(new[] { "wrn-28-10", "wrn-16-8" }, ModelRegistry.List("wrn*"));
        Assert.Equal(new[] { "resnet164", "preresnet164" }, ModelRegistry.List("*RESNET1?4"));
        Assert.Equal(new[] { "densenet-bc-100-12", "densenet-bc-190-40" }, ModelRegistry.List("densenet-bc-1?0-*"));
        Assert.Empty(ModelRegistry.List("nothing*"));
    }

    [Fact]
    public void Each_family_reads_its_stage_names_from_the_model()
    {
        // A small model of each family, in the order of the families.
        var examples = new[] { "vgg11-bn", "resnet-20", "preresnet-20", "wrn-10-1", "densenet-bc-10-2", "resnext29-1x4d", "resnet18-cifar",
            "resnet18", "se-resnet50", "simple-cnn", "mlp-regression" };
        Assert.Equal(ModelRegistry.Families.Select(f => f.Name), examples.Select(n => ModelRegistry.Describe(n).Family));
        foreach (var (family, name) in ModelRegistry.Families.Zip(examples))
        {
            Assert.Same(family.Stages, ModelRegistry.Describe(name).Stages);
            using var model = ModelRegistry.Create(name);
            Assert.Equal(model.StageNames, family.Stages);
            Assert.All(family.PaperNames, n => Assert.Equal(family.Name, ModelRegistry.Describe(n).Family));
        }
    }

    [Fact]
    public void Names_are_case_insensitive()
    {
        using var model = ModelRegistry.Create("  ResNet110 ");
        Assert.Equal(1_730_714, model.ParameterCount());
    }
    [Fact]
    public void Summary_lists_counts_per_class_count_and_activation_layers()
    {
        var wrn = ModelSummary.Of("wrn-16-8");
        Assert.Equal(new[] { 10, 100 }, wrn.Parameters.Keys.Order());
        Assert.Equal(10_961_370, wrn.Parameters[10]);
        Assert.Equal(10_961_370 + 513 * 90, wrn.Parameters[100]);
        Assert.Equal(13, wrn.ActivationLayers);
        Assert.Equal(0.4, wrn.Dropout);
        Assert.Equal(new[] { 3, 32, 32 }, wrn.Input);
        var resnet34 = ModelSummary.Of("resnet34");
        Assert.Equal(new[] { 10, 100, 1000 }, resnet34.Parameters.Keys.Order());
        Assert.Equal(21_797_672, resnet34.Parameters[1000]);
        Assert.Equal(21_797_672 - 513 * 990, resnet34.Parameters[10]);
        var mlp = ModelSummary.Of("mlp-regression");
        Assert.Equal(963_201, Assert.Single(mlp.Parameters).Value);
        Assert.Throws<ArgumentException>(() => ModelSummary.Of("nope"));
    }
}
