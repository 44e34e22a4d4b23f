using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DropActivation.Benchmarking;
using DropActivation.Models.Registry;
using DropActivation.Training;
using DropActivation.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

// Where one training step of a zoo model goes, phase by phase, in each compute mode: the step dropact train runs
// (TrainingEpoch: the batch into the mode's layout, forward and loss under the mode's autocast, the loss read back,
// zero the gradients, backward, SGD with momentum and weight decay, the error count), each phase timed on its own.
// bench/end-to-end/pytorch_step_phases.py times the same phases of the best PyTorch user's step; compare the two
// side by side on a quiet machine. Medians over the timed steps (ms), after untimed warm-up steps.
// Usage: step-phases [--model preresnet-20] [--act relu|rrelu|dropact] [--batch 64] [--steps 40] [--warmup 5]
//                    [--threads 2] [--channels-last] [--precision fp32|bf16] [--strided-1x1 subsampled|direct] [--json]
// --strided-1x1 direct: the zoo's strided 1×1 convolutions call oneDNN's strided kernel (only safe on CPUs without
// AVX-512, or for channel pairs it does not crash on: see StridedPointwiseConv2d).
string modelName = "preresnet-20", act = "relu", precision = "fp32";
int batch = 64, steps = 40, warmup = 5, threads = 2;
bool channelsLast = false, json = false;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--model": modelName = Next(); break;
        case "--act": act = Next(); break;
        case "--batch": batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--steps": steps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--channels-last": channelsLast = true; break;
        case "--precision": precision = Next(); break;
        case "--json": json = true; break;
        case "--strided-1x1": DropActivation.Modules.StridedPointwiseConv2d.Subsample = Next() != "direct"; break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}
DropActivation.Runtime.ProcessSettings.Apply(threads); // does not return when it restarts under tcmalloc
var mode = new ComputeMode(channelsLast, ComputeMode.IsBFloat16(precision));
if (mode.Problem(DropActivation.Runtime.CpuFeatures.Current) is { } problem) throw new ArgumentException(problem);
var info = ModelRegistry.Describe(modelName);
var config = info.DefaultConfig() with { Activation = ActivationFactory.FromName(act) };
torch.manual_seed(1);
using var model = ModelRegistry.Create(modelName, config);
mode.Prepare(model);
model.train();
using var optimizer = new SgdMomentum(model, 0.9, 5e-4);
string[] phases = ["input", "forward", "loss", "loss_item", "zero_grad", "backward", "optimizer", "error_count", "total"];
var samples = phases.ToDictionary(p => p, _ => new List<double>());
var images = torch.randn(batch, config.InChannels, config.ImageSize, config.ImageSize);
var labels = torch.randint(0, config.NumClasses, [batch], dtype: ScalarType.Int64);
var clock = new Stopwatch();
for (int s = 0; s < warmup + steps; s++)
{
    using var scope = torch.NewDisposeScope();
    var times = new double[phases.Length];
    double last = 0;
    void Mark(int phase) { double now = clock.Elapsed.TotalMilliseconds; times[phase] = now - last; last = now; }
    clock.Restart();
    var x = mode.Input(images);
    Mark(0);
    Tensor output, loss;
    using (mode.Forward())
    {
        output = model.forward(x);
        Mark(1);
        loss = nn.functional.cross_entropy(output, labels);
        Mark(2);
    }
    _ = loss.item<float>();
    Mark(3);
    optimizer.ZeroGrad();
    Mark(4);
    loss.backward();
    Mark(5);
    optimizer.Step(0.01);
    Mark(6);
    _ = output.argmax(1).ne(labels).sum().item<long>();
    Mark(7);
    times[8] = clock.Elapsed.TotalMilliseconds;
    if (s >= warmup) for (int k = 0; k < phases.Length; k++) samples[phases[k]].Add(times[k]);
}
var medians = phases.ToDictionary(p => p, p => Math.Round(InterleavedTiming.Median(samples[p]), 3));
if (json)
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        tool = "dropact", model = modelName, act, batch, threads = torch.get_num_threads(), mode = mode.ToString(), steps, median_ms = medians,
    }));
else
{
    Console.WriteLine($"dropact {modelName} {act}, batch {batch}, {torch.get_num_threads()} threads, {mode}: median ms over {steps} steps");
    foreach (var p in phases) Console.WriteLine($"  {p,-12} {medians[p],9:F2}");
}
