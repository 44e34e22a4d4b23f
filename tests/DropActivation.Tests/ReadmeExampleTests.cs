using DropActivation.Activations;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

/// <summary>The library examples of README.md, docs/layer.md and docs/memory.md, compiled and run, so the front door stays true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_layer_example_runs_in_both_modes()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(4, 3, 32, 32);
        var net = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding: 1), nn.BatchNorm2d(16),
            DA.DropAct(p: 0.95),
            nn.Conv2d(16, 16, 3, padding: 1),
            DA.DropAct(ElementwiseActivation.GELU, p: 0.9),
            nn.Flatten(), nn.Linear(16 * 32 * 32, 10));
        net.train();
        Assert.Equal(new long[] { 4, 10 }, net.call(x).shape);
        net.eval();
        Assert.Equal(new long[] { 4, 10 }, net.call(x).shape);

        var y = DA.functional.drop_act(x, p: 0.95, training: true);
        var z = DA.functional.drop_act(x, 0.8, training: true, activation: ElementwiseActivation.Tanh);
        var w = DA.functional.drop_act(x, 0.8, true, ElementwiseActivation.Custom("softsign", t => t / (t.abs() + 1)));
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(x.shape, z.shape);
        Assert.Equal(x.shape, w.shape);
    }

    [Fact]
    public void The_surgery_example_reports_every_relu_of_resnet18()
    {
        using var model = torchvision.models.resnet18(num_classes: 1000);
        int relus = model.modules().Count(m => m is TorchSharp.Modules.ReLU);
        var report = model.UseDropActivation(p: 0.95);
        Assert.StartsWith($"replaced {relus} of {relus} activation modules", report.ToString());
        Assert.Equal(relus, report.Count);
        model.Fold();
        Assert.Equal(relus, model.modules().Count(m => m is TorchSharp.Modules.LeakyReLU));
    }

    [Fact]
    public void The_memory_autograd_and_strided_convolution_examples_run()
    {
        using var scope = torch.NewDisposeScope();
        // Memory: ProcessSettings.Apply() sets glibc up (DROPACT_ALLOCATOR=glibc: no restart of this test host).
        var choice = Environment.GetEnvironmentVariable(DropActivation.Runtime.NativeAllocator.ChoiceVariable);
        Environment.SetEnvironmentVariable(DropActivation.Runtime.NativeAllocator.ChoiceVariable, "glibc");
        try { DropActivation.Runtime.ProcessSettings.Apply(); }
        finally { Environment.SetEnvironmentVariable(DropActivation.Runtime.NativeAllocator.ChoiceVariable, choice); }
        bool inForce = DropActivation.Runtime.FreedMemory.IsRetained;
        bool kept = DropActivation.Runtime.FreedMemory.FreedBlocksStayInTheHeap();
        Assert.True(inForce && kept);

        // DA.backward turns a failed Drop-Activation backward into the real cause.
        var x = torch.randn(8, 8).requires_grad_(true);
        var y = DA.functional.drop_act(x, 0.95, training: true);
        y.mul_(2);
        Assert.Throws<BackwardFailedException>(() => DA.backward(y.sum()));

        // The strided 1×1 swap on TorchVision's ResNet-50.
        using var model = torchvision.models.resnet50(num_classes: 10);
        Assert.Equal(3, model.AvoidStridedPointwiseConvolutions().Count);
    }
}
