using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DropActivation.Benchmarking;
using DropActivation.Models.Registry;
using TorchSharp;
using static TorchSharp.torch;

// Forward + backward time per image of the zoo's models on CPU, for the model table of docs/models.md.
// Usage: model-timing [--act relu|rrelu|dropact] [--p 0.95] [--batch N] [--repeats N] [--threads N]
//                     [--strided-1x1 subsampled|direct|both] [--json] [name ...]
// --strided-1x1: how the zoo's strided 1×1 convolutions run (StridedPointwiseConv2d): subsampled (the
// default, which avoids oneDNN's AVX-512 crash) or direct (nn.Conv2d's strided kernel; only safe on CPUs
// without AVX-512); both times the two alternately, step by step (each first every other step), and
// reports their ratio.
// Each model: its default input (32×32×3, 224×224×3 for ImageNet models, 1 feature for the MLP), its first
// class count, train mode, cross-entropy (MSE for the MLP); one untimed warm-up step, then the fastest and
// the median of the timed steps (InterleavedTiming, as dropact timing), divided by the batch size. On a shared machine the fastest step is the
// estimate least disturbed by other processes; the median shows how much they disturbed it.

string act = "relu";
double p = 0.95;
int batch = 8, repeats = 3, threads = 0;
bool json = false;
string strided = "subsampled";
var names = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--act": act = Next(); break;
        case "--p": p = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--batch": batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--repeats": repeats = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--json": json = true; break;
        case "--strided-1x1": strided = Next(); break;
        default: names.Add(args[i]); break;
    }
}
if (names.Count == 0) names.AddRange(ModelRegistry.Names);
// The process settings dropact uses (tcmalloc when installed, else glibc keeping freed memory; threads).
DropActivation.Runtime.ProcessSettings.Apply(threads > 0 ? threads : null); // does not return when it restarts
var factory = ActivationFactory.FromName(act, p);
var settings = strided switch
{
    "subsampled" => new[] { true },
    "direct" => new[] { false },
    "both" => new[] { true, false },
    _ => throw new ArgumentException($"--strided-1x1 takes subsampled, direct or both, not '{strided}'."),
};

var rows = new List<Dictionary<string, object>>();
if (!json) Console.WriteLine($"activation {act}, batch {batch}, {repeats} timed steps, {torch.get_num_threads()} threads");
foreach (var name in names)
{
    var info = ModelRegistry.Describe(name);
    var config = info.DefaultConfig() with { Activation = factory };
    using var model = ModelRegistry.Create(name, config);
    model.train();
    bool mlp = info.TakesFeatures;
    // The loop dropact timing uses (one warm-up step); with both settings, the one that goes first alternates.
    var timesBySetting = InterleavedTiming.Run(settings.Length, 1, repeats, (i, round) =>
    {
        DropActivation.Modules.StridedPointwiseConv2d.Subsample = settings[i];
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(round + 1);
        var x = mlp ? torch.randn(batch, config.InChannels) : torch.randn(batch, config.InChannels, config.ImageSize, config.ImageSize);
        var watch = Stopwatch.StartNew();
        foreach (var q in model.parameters()) q.grad = null;
        var y = model.forward(x);
        var loss = mlp
            ? nn.functional.mse_loss(y, torch.zeros_like(y))
            : nn.functional.cross_entropy(y, torch.randint(0, config.NumClasses, new long[] { batch }, dtype: ScalarType.Int64));
        loss.backward();
        return watch.Elapsed.TotalMilliseconds / batch;
    });
    DropActivation.Modules.StridedPointwiseConv2d.Subsample = true;
    var times = timesBySetting[0];
    double median = InterleavedTiming.Median(times), fastest = times.Min();
    var row = new Dictionary<string, object>
    {
        ["model"] = info.Name,
        ["parameters"] = model.ParameterCount(),
        ["activation_layers"] = ModelRegistry.ActivationLayers(model).Count,
        ["input"] = string.Join("x", info.InputShape(config)),
        ["classes"] = config.NumClasses,
        ["strided_1x1"] = settings.Length == 2 ? "both" : settings[0] ? "subsampled" : "direct",
        ["ms_per_image"] = Math.Round(fastest, 2),
        ["ms_per_image_median"] = Math.Round(median, 2),
    };
    if (settings.Length == 2)
    {
        var direct = timesBySetting[1];
        row["direct_ms_per_image"] = Math.Round(direct.Min(), 2);
        row["direct_ms_per_image_median"] = Math.Round(InterleavedTiming.Median(direct), 2);
        row["subsampled_over_direct_median"] = Math.Round(median / InterleavedTiming.Median(direct), 3);
    }
    rows.Add(row);
    if (!json)
        Console.WriteLine($"{info.Name,-20} {row["input"],-10} {model.ParameterCount(),12:N0} params {row["activation_layers"],4} act  {fastest,9:F2} ms/image (median {median:F2})"
            + (row.TryGetValue("subsampled_over_direct_median", out var ratio) ? $"  direct strided 1x1: median {row["direct_ms_per_image_median"]}, subsampled/direct {ratio}" : ""));
}
if (json) Console.WriteLine(JsonSerializer.Serialize(new { activation = act, p, batch, repeats, threads = torch.get_num_threads(), models = rows },
    new JsonSerializerOptions { WriteIndented = true }));
