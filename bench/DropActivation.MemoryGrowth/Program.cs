using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using DropActivation.Runtime;
using DropActivation.Training;
using DropActivation.Training.Logging;

// Resident-memory growth of a training run, epoch by epoch, and where the memory is: trains through
// the library (Trainer, as `dropact train` does, restarted under tcmalloc when installed) and after
// every epoch records the resident set, the managed heap (GC.GetGCMemoryInfo) and, under tcmalloc,
// its live and free bytes (MallocExtension_GetNumericProperty). Prints JSON on stdout.
//
//   dotnet run -c Release --project bench/DropActivation.MemoryGrowth -- --data ../shared/data
//       [--model preresnet-20] [--act relu] [--dataset cifar10] [--epochs 5] [--train-subset 3200]
//       [--test-subset 500] [--batch-size 64] [--threads 2]
//   (DOTNET_GCgen0size=0x3000000 before it: the runtime's own gen-0 budget instead of the 4 MiB the restart sets)

ProcessSettings.Apply(); // as dropact does; does not return when it restarts
var a = new Dictionary<string, string>
{
    ["--model"] = "preresnet-20", ["--act"] = "relu", ["--dataset"] = "cifar10", ["--epochs"] = "5", ["--train-subset"] = "3200",
    ["--test-subset"] = "500", ["--batch-size"] = "64", ["--threads"] = "2", ["--data"] = "",
};
for (int i = 0; i < args.Length; i++)
{
    if (!a.ContainsKey(args[i]) || i + 1 >= args.Length) { Console.Error.WriteLine($"unknown option or missing value: {args[i]}"); return 2; }
    a[args[i]] = args[++i];
}
if (a["--data"].Length == 0 || !Directory.Exists(a["--data"])) { Console.Error.WriteLine("--data DIR (a folder holding the data set) is required"); return 2; }
int Int(string k) => int.Parse(a[k], CultureInfo.InvariantCulture);

var options = new TrainOptions
{
    Model = a["--model"], Dataset = a["--dataset"], Activation = a["--act"], Seed = 1, Threads = Int("--threads"),
    TrainSubset = Int("--train-subset"), TestSubset = Int("--test-subset"), Epochs = Int("--epochs"), BatchSize = Int("--batch-size"),
    LearningRate = 0.05, Schedule = "constant",
};
var dir = Path.Combine(Path.GetTempPath(), "dropact-memory-growth-" + Environment.ProcessId);
var probe = new EpochMemory();
try { new Trainer(probe).Train(options, a["--data"], dir); }
finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

var first = probe.Epochs.Count > 0 ? probe.Epochs[0]["rss_mib"] : null;
var last = probe.Epochs.Count > 0 ? probe.Epochs[^1]["rss_mib"] : null;
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
{
    ["benchmark"] = "memory-growth",
    ["model"] = options.Model, ["activation"] = options.Activation, ["dataset"] = options.Dataset,
    ["train_subset"] = options.TrainSubset, ["batch_size"] = options.BatchSize, ["threads"] = options.Threads,
    ["allocator"] = NativeAllocator.Current,
    ["gc_gen0_max_budget_bytes"] = NativeAllocator.Gen0MaxBudget,
    ["rss_growth_first_to_last"] = first is double f && last is double l ? Math.Round(l / f - 1, 4) : null,
    ["epochs"] = probe.Epochs,
}, new JsonSerializerOptions { WriteIndented = true }));
return 0;

/// <summary>Records the process's memory after every epoch.</summary>
internal sealed class EpochMemory : ITrainingMonitor
{
    public List<Dictionary<string, double?>> Epochs { get; } = new();

    [DllImport("libtcmalloc_minimal.so.4")]
    private static extern int MallocExtension_GetNumericProperty(string property, out nuint value);

    /// <summary>A tcmalloc counter in MiB, or null when the process does not run on tcmalloc.</summary>
    private static double? Tcmalloc(string property)
    {
        if (NativeAllocator.Current != "tcmalloc") return null;
        try { return MallocExtension_GetNumericProperty(property, out var v) != 0 ? Math.Round(v / 1048576.0, 1) : null; }
        catch (DllNotFoundException) { return null; }
        catch (EntryPointNotFoundException) { return null; }
    }

    public void EpochStarted(int epoch, int epochs, int steps, double lr) => Console.Error.WriteLine($"epoch {epoch}/{epochs}: {steps} steps");
    public void StepFinished(int epoch, int step, double loss) { }
    public void Info(string message) => Console.Error.WriteLine(message);

    public void EpochFinished(EpochMetrics m, bool best)
    {
        var gc = GC.GetGCMemoryInfo();
        Epochs.Add(new Dictionary<string, double?>
        {
            ["epoch"] = m.Epoch,
            ["rss_mib"] = m.ResidentMiB is double r ? Math.Round(r, 1) : null,
            ["train_seconds"] = Math.Round(m.TrainSeconds ?? 0, 1),
            ["managed_heap_mib"] = Math.Round(gc.HeapSizeBytes / 1048576.0, 1),
            ["managed_committed_mib"] = Math.Round(gc.TotalCommittedBytes / 1048576.0, 1),
            ["gen0_collections"] = GC.CollectionCount(0),
            ["gen2_collections"] = GC.CollectionCount(2),
            ["tcmalloc_allocated_mib"] = Tcmalloc("generic.current_allocated_bytes"),
            ["tcmalloc_heap_mib"] = Tcmalloc("generic.heap_size"),
            ["tcmalloc_free_mib"] = Tcmalloc("tcmalloc.pageheap_free_bytes"),
        });
        Console.Error.WriteLine($"epoch {m.Epoch}: rss {m.ResidentMiB:F1} MiB");
    }
}
