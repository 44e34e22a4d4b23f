using DropActivation.Surgery;
using Xunit.Abstractions;

namespace DropActivation.Training.Tests;

/// <summary>
/// Weights travel between dropact and real PyTorch (python/pytorch_roundtrip.py, run by Debian's python3): exported
/// here, they load into PyTorch's own definition with strict=True and give PyTorch's eval-mode outputs within 1e-4 of
/// ours; saved by PyTorch, they load here and give PyTorch's outputs. For torchvision's ResNet-34, and for a
/// Drop-Activation pre-activation ResNet-20, Wide ResNet 16-2 (whose keys are renamed to bearpaw's) and simple CNN
/// folded to LeakyReLU(0.05), whose PyTorch definitions the script writes.
/// </summary>
public class PyTorchRoundTripTests
{
    private const double Tolerance = 1e-4;
    private readonly ITestOutputHelper _log;

    public PyTorchRoundTripTests(ITestOutputHelper log) => _log = log;

    [PyTorchFact]
    public void ResNet34_weights_round_trip_with_torchvision() =>
        RoundTrip("resnet34", "resnet34", new ModelConfig(1000, 3, 224), new long[] { 2, 3, 64, 64 }, fold: false);

    [PyTorchFact]
    public void A_folded_drop_activation_PreResNet20_runs_in_PyTorch_as_a_LeakyReLU_network() =>
        RoundTrip("preresnet20-folded", "preresnet-20",
            new ModelConfig(10) { Activation = ActivationFactory.FromName("dropact", 0.95) }, new long[] { 4, 3, 32, 32 }, fold: true);

    [PyTorchFact]
    public void A_folded_drop_activation_Wide_ResNet_loads_into_bearpaws_definition_under_its_renamed_keys() =>
        RoundTrip("wrn-16-2-folded", "wrn-16-2",
            new ModelConfig(10) { Activation = ActivationFactory.FromName("dropact", 0.95) }, new long[] { 4, 3, 32, 32 }, fold: true);

    [PyTorchFact]
    public void A_folded_drop_activation_simple_CNN_runs_in_PyTorch_with_the_documented_key_names() =>
        RoundTrip("simple-cnn-folded", "simple-cnn",
            new ModelConfig(10) { Activation = ActivationFactory.FromName("dropact", 0.95) }, new long[] { 4, 3, 32, 32 }, fold: true);

    private void RoundTrip(string pythonCase, string model, ModelConfig config, long[] inputShape, bool fold)
    {
        Assert.Null(PythonTorch.Unavailable);
        var dir = RealData.NewTempDir("dropact-pytorch-roundtrip");
        torch.set_num_threads(1);
        torch.manual_seed(5);

        // Ours → PyTorch.
        using (var ours = ModelRegistry.Create(model, config))
        {
            Randomise(ours);
            ours.eval();
            using var x = torch.randn(inputShape);
            using var y = ours.call(x);
            if (fold)
            {
                var report = ours.Fold();
                Assert.True(report.Count > 0, "nothing folded");
                Assert.All(report.Replacements, r => Assert.Equal("LeakyReLU(negative_slope=0.050000000000000044)", r.After));
                using var yFolded = ours.call(x);
                Assert.True(yFolded.allclose(y, rtol: 0, atol: 1e-6), "the folded model differs from the eval-mode model");
            }
            Assert.True(PyTorchWeights.Save(ours, Path.Combine(dir, "ours.pt"), WeightFormat.PyTorch) > 0);
            PyTorchWeights.Save(ours, Path.Combine(dir, "ours.safetensors"), WeightFormat.SafeTensors);
            Safetensors.SaveStateDict(Path.Combine(dir, "ours_io.safetensors"), new Dictionary<string, Tensor> { ["input"] = x, ["output"] = y });
        }

        var script = Path.Combine(AppContext.BaseDirectory, "python", "pytorch_roundtrip.py");
        var (exit, stdout, stderr) = PythonTorch.Run(TimeSpan.FromMinutes(5), script, pythonCase, dir);
        Assert.True(exit == 0, $"PyTorch failed (exit {exit}):\n{stderr}");
        using var result = JsonDocument.Parse(stdout.Trim().Split('\n').Last());
        var r = result.RootElement;
        _log.WriteLine($"{pythonCase}: PyTorch says {r}");
        Assert.True(r.GetProperty("keys_equal").GetBoolean(), "exported keys differ from the PyTorch definition's");
        Assert.True(r.GetProperty("max_diff_pt").GetDouble() <= Tolerance, $"PyTorch's output from our .pt differs by {r.GetProperty("max_diff_pt")}");
        Assert.True(r.GetProperty("max_diff_safetensors").GetDouble() <= Tolerance, $"PyTorch's output from our .safetensors differs by {r.GetProperty("max_diff_safetensors")}");

        // PyTorch → ours: into a fresh zoo model (for the Drop-Activation model: unfolded, in eval mode).
        var io = Safetensors.LoadStateDict(Path.Combine(dir, "py_io.safetensors"));
        foreach (var file in new[] { "py.pt", "py.safetensors", "py_checkpoint.pt" })
        {
            torch.manual_seed(77);
            using var fresh = ModelRegistry.Create(model, config);
            PyTorchWeights.Load(fresh, Path.Combine(dir, file));
            fresh.eval();
            using var y = fresh.call(io["input"]);
            double diff = (y - io["output"]).abs().max().item<float>();
            _log.WriteLine($"{pythonCase}: {file} loaded here: max |ours - PyTorch's| = {diff:G3}");
            Assert.True(diff <= Tolerance, $"{file}: our output differs from PyTorch's by {diff}");
            var tracked = fresh.state_dict().Where(kv => kv.Key.EndsWith(".num_batches_tracked")).ToList();
            Assert.NotEmpty(tracked);
            Assert.All(tracked, kv => Assert.Equal(7L, kv.Value.item<long>()));
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// Non-trivial BatchNorm affine parameters and running statistics, so eval mode matters everywhere; scales below 1
    /// keep a random ResNet-34's logits in the single digits, like a trained network's (with scales up to 1.5 they
    /// reach ~100, and float32 rounding alone comes near 1e-4).
    /// </summary>
    internal static void Randomise(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, m) in model.named_modules())
        {
            if (m is not TorchSharp.Modules.BatchNorm2d bn) continue;
            bn.weight!.uniform_(0.5, 1.0);
            bn.bias!.uniform_(-0.2, 0.2);
            bn.running_mean!.uniform_(-0.2, 0.2);
            bn.running_var!.uniform_(0.5, 1.5);
        }
    }
}
