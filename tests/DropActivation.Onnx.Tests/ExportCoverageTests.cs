using DropActivation.Activations;
using DropActivation.Models.Registry;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>
/// The export cannot silently miss a building block: every module type of the zoo and of the core library
/// declares its ONNX graph (implements <see cref="IOnnxExportable"/>), every module inside every zoo model is
/// exportable, and every activation the factory builds has an ONNX form.
/// </summary>
public sealed class ExportCoverageTests
{
    private static IEnumerable<Type> ModuleTypes(System.Reflection.Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(nn.Module).IsAssignableFrom(t));

    [Fact]
    public void EveryZooBlockAndModelTypeDeclaresItsOnnxGraph()
    {
        var types = ModuleTypes(typeof(ZooModel).Assembly).ToList();
        // The zoo's blocks (Blocks/), models (Cifar/, ImageNet/, Simple/): at least the ones known today.
        Assert.True(types.Count >= 20, $"only {types.Count} module types found in {typeof(ZooModel).Assembly.GetName().Name}");
        var missing = types.Where(t => !typeof(IOnnxExportable).IsAssignableFrom(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"module types without an ONNX export: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryCoreLibraryModuleDeclaresItsOnnxGraph()
    {
        var types = ModuleTypes(typeof(DA).Assembly).ToList();
        Assert.Contains(typeof(Modules.DropAct), types);
        Assert.Contains(typeof(Modules.RandomizedReLU), types);
        Assert.Contains(typeof(Modules.AveragedActivation), types);
        var missing = types.Where(t => !typeof(IOnnxExportable).IsAssignableFrom(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"module types without an ONNX export: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(ZooExportTests.ZooNames), MemberType = typeof(ZooExportTests))]
    public void EveryModuleInsideEveryZooModelIsExportable(string name)
    {
        // Built with RReLU: the paper's other trained form, so its module is walked too.
        using var model = ModelRegistry.Create(name, new ModelConfig(10, name == "mlp-regression" ? 1 : 3, ModelRegistry.Describe(name).MinImageSize)
        {
            Activation = ActivationFactory.FromName("rrelu"),
        });
        var unknown = model.named_modules()
            .Where(m => m.name.Length > 0 && m.module is not IOnnxExportable && !TorchSharpLayers.Handles(m.module))
            .Select(m => $"{m.name} ({m.module.GetType().Name})").ToList();
        Assert.True(unknown.Count == 0, $"{name}: modules without an ONNX export: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EveryFactoryActivationHasAnOnnxForm()
    {
        foreach (var name in ActivationFactory.Names)
        {
            using var module = ActivationFactory.FromName(name, 0.9)();
            Assert.True(module is IOnnxExportable || TorchSharpLayers.Handles(module), $"activation '{name}' ({module.GetType().Name}) has no ONNX export");
        }
        foreach (var f in new[] { "relu", "tanh", "sigmoid", "gelu", "gelu-tanh", "silu", "elu" })
            Assert.True(ElementwiseActivation.FromName(f).HasOnnxExport, f);
        Assert.False(ElementwiseActivation.Custom("square", x => x * x).HasOnnxExport);
    }
}
