// Data pipeline benchmark: augmented CIFAR-size images per second through the DataLoader
// (crop+flip+normalise, +Cutout, +AutoAugment) with a given number of worker threads, and the
// time to load 60,000-image data sets. Prints one JSON object.
// Usage: dotnet run -c Release --project bench/DropActivation.DataBench -- [--workers 2] [--seconds 3] [--data ../shared/data]
using System.Diagnostics;
using System.Text.Json;
using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Loading;
using DropActivation.Data.Readers;
using DropActivation.Data.Registry;
using TorchSharp;

int workers = 2;
double seconds = 3;
string? dataRoot = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--workers": workers = int.Parse(args[++i]); break;
        case "--seconds": seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--data": dataRoot = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
dataRoot ??= FindSharedData();
torch.set_num_threads(1);

var info = DataSets.Get("cifar10");
const int n = 10_000;
var pixels = new byte[n * 3072];
new Random(7).NextBytes(pixels);
using var synthetic = new ImageDataset("synthetic-cifar", torch.tensor(pixels, [n, 3, 32, 32]),
    Enumerable.Range(0, n).Select(i => (long)(i % 10)).ToArray(), CifarReader.Cifar10Classes);

var throughput = new Dictionary<string, object>();
foreach (var (name, extras) in new[] { ("crop_flip_normalise", AugmentExtras.None), ("plus_cutout", AugmentExtras.Cutout), ("plus_autoaugment", AugmentExtras.AutoAugment) })
{
    using var loader = new DataLoader(synthetic, Augmentations.Train(info, extras), 128, seed: 1, workers: workers, prefetch: 4);
    foreach (var b in loader.GetEpoch(0)) b.Dispose(); // warm-up: one full epoch (JIT, buffers)
    long images = 0;
    var sw = Stopwatch.StartNew();
    for (int epoch = 1; sw.Elapsed.TotalSeconds < seconds; epoch++)
        foreach (var b in loader.GetEpoch(epoch))
        {
            images += b.Size;
            b.Dispose();
            if (sw.Elapsed.TotalSeconds >= seconds) break;
        }
    sw.Stop();
    throughput[name] = new { images_per_second = Math.Round(images / sw.Elapsed.TotalSeconds), images, seconds = Math.Round(sw.Elapsed.TotalSeconds, 2) };
}

var load = new Dictionary<string, object>();
// CIFAR-10 binary layout, 50,000 + 10,000 images, written to a temporary folder (tmpfs when present).
var tmp = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "dropact-databench-" + Guid.NewGuid().ToString("N"));
var folder = Path.Combine(tmp, "cifar-10-batches-bin");
Directory.CreateDirectory(folder);
try
{
    var rng = new Random(3);
    foreach (var file in CifarReader.Cifar10TrainFiles.Append(CifarReader.Cifar10TestFile))
    {
        var data = new byte[10_000 * 3073];
        rng.NextBytes(data);
        for (int r = 0; r < 10_000; r++) data[r * 3073] = (byte)(r % 10);
        File.WriteAllBytes(Path.Combine(folder, file), data);
    }
    var sw = Stopwatch.StartNew();
    using (var train = CifarReader.ReadCifar10(folder, true))
    using (var test = CifarReader.ReadCifar10(folder, false))
    {
        sw.Stop();
        load["cifar10_binary_60000"] = new { seconds = Math.Round(sw.Elapsed.TotalSeconds, 3), images = train.Count + test.Count };
    }
}
finally { Directory.Delete(tmp, true); }

if (dataRoot is not null && File.Exists(Path.Combine(dataRoot, "mnist", "train-images-idx3-ubyte.gz")))
{
    var sw = Stopwatch.StartNew();
    using var mnist = (ImageDataset)DataSets.Load("mnist", dataRoot, "train");
    sw.Stop();
    load["mnist_train_idx_gz_60000"] = new { seconds = Math.Round(sw.Elapsed.TotalSeconds, 3), images = mnist.Count };
}

var report = new
{
    benchmark = "dropact-data",
    workers,
    processor_count = Environment.ProcessorCount,
    batch_size = 128,
    image_shape = new[] { 3, 32, 32 },
    augmentation_throughput = throughput,
    load_time = load,
};
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return 0;

static string? FindSharedData()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "DropActivation.slnx")))
            return Path.Combine(d.FullName, "..", "shared", "data");
    for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "DropActivation.slnx")))
            return Path.Combine(d.FullName, "..", "shared", "data");
    return null;
}
