using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DropActivation.Bench;
using DropActivation.Benchmarking;
using DropActivation.Kernels;
using DropActivation.Layout;
using DropActivation.Models.Registry;
using DropActivation.Modules;
using TorchSharp;
using static TorchSharp.torch;

// Benchmark of Drop-Activation against ReLU and RReLU: training-step time and evaluation-forward
// time measured interleaved in one process (medians of repeats, ratios to ReLU), and peak memory
// of a training step measured in a fresh child process per variant. Prints JSON on stdout.
//
//   dotnet run -c Release --project bench/DropActivation.Bench -- [--nets preresnet-20,wrn-16-4]
//       [--variants relu-again,relu-custom-fn,rrelu,dropact,dropact-portable] [--repeats 15] [--warmup 3]
//       [--batch 64] [--threads 2] [--kernel-threads 1] [--no-memory] [--channels-last] [--bf16]
//   (--channels-last: weights and batch in NHWC memory order; --bf16: forward and loss under DA.Autocast(BFloat16),
//   only where the CPU computes bf16 natively)
//   (--kernel-threads: .NET threads of the managed fallback kernel; 0 = as many as torch)
//
// Ratios come two ways: median over median (train_ratio_to_relu) and the median of the per-repeat
// ratios (train_ratio_paired), which cancels the slow drifts of a shared machine. relu-again is a
// second ReLU network: its ratios show how far from 1 noise alone goes; train_ratio_paired_ci95
// is a distribution-free 95% interval for the paired median. page_faults_per_step: the benchmark
// restarts itself under tcmalloc (or jemalloc, mimalloc) when one is installed, as the dropact
// command does (DropActivation.Runtime.ProcessSettings; "allocator" in the JSON); on glibc it has
// glibc keep freed memory. DROPACT_ALLOCATOR=glibc-defaults keeps glibc with its defaults, under
// which every step can fault tens of thousands of pages back in.
//
// The networks come from the model zoo: preresnet-20 (bearpaw's pre-activation ResNet-20) and
// wrn-16-4 (Wide ResNet 16-4, dropout off so only the activation differs).

var options = BenchOptions.Parse(args);
if (options.MemoryProbe is { } probe)
{
    Console.WriteLine(MemoryProbe.Run(probe.Net, probe.Variant, options).ToString(CultureInfo.InvariantCulture));
    return 0;
}

DropActivation.Runtime.ProcessSettings.Apply(options.Threads); // does not return when it restarts
ReluDropActCpuKernel.MaxWorkers = options.KernelThreads;
Step.Configure(options);
var variants = options.Variants;
var results = new List<Dictionary<string, object>>();
foreach (var net in options.Nets)
{
    Console.Error.WriteLine($"[{net}] building {variants.Count} variants, batch {options.Batch}, {options.Threads} threads");
    torch.manual_seed(0);
    var x = Step.Input(torch.randn(options.Batch, 3, 32, 32));
    var y = torch.randint(10, new long[] { options.Batch });
    var models = variants.ToDictionary(v => v, v => { torch.manual_seed(1); return Step.Prepare(Networks.Build(net, Variants.Factory(v))); });
    var optimizers = models.ToDictionary(kv => kv.Key, kv => torch.optim.SGD(kv.Value.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4));
    var eval = variants.ToDictionary(v => v, _ => new List<double>());
    var faults = variants.ToDictionary(v => v, _ => new List<double>());
    var gcPause = variants.ToDictionary(v => v, _ => new List<double>());
    var allocated = variants.ToDictionary(v => v, _ => new List<double>());
    var phases = variants.ToDictionary(v => v, _ => new List<(double Forward, double Backward, double Dispose)>());

    // The loop dropact timing uses: every variant once a repeat, the order rotated every repeat.
    var trained = InterleavedTiming.Run(variants.Count, options.Warmup, options.Repeats, (i, rep) =>
    {
        var v = variants[i];
        long faultsBefore = Machine.MinorFaults();
        var pauseBefore = GC.GetTotalPauseDuration();
        long allocBefore = GC.GetTotalAllocatedBytes(false);
        double t = Step.Train(models[v], optimizers[v], x, y);
        if (rep >= 0) faults[v].Add(Machine.MinorFaults() - faultsBefore);
        if (rep >= 0) gcPause[v].Add((GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds);
        if (rep >= 0) phases[v].Add(Step.LastPhases);
        if (rep >= 0) allocated[v].Add((GC.GetTotalAllocatedBytes(false) - allocBefore) / 1024.0);
        double e = Step.Eval(models[v], x);
        if (rep >= 0) eval[v].Add(e);
        return t;
    }, rep => { if (rep >= 0) Console.Error.Write($"\r[{net}] repeat {rep + 1}/{options.Repeats}"); });
    var train = variants.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => trained[p.i]);
    Console.Error.WriteLine();

    var memory = new Dictionary<string, double>();
    if (options.Memory)
        foreach (var v in variants)
        {
            Console.Error.WriteLine($"[{net}] peak memory of {v} (child process)");
            memory[v] = MemoryProbe.Spawn(net, v, options);
        }

    double reluTrain = Stats.Median(train["relu"]), reluEval = Stats.Median(eval["relu"]);
    foreach (var v in variants)
    {
        var row = new Dictionary<string, object>
        {
            ["net"] = net,
            ["variant"] = v,
            ["train_step_ms_median"] = Math.Round(Stats.Median(train[v]), 3),
            ["train_step_ms_iqr"] = Math.Round(Stats.Iqr(train[v]), 3),
            ["train_ratio_to_relu"] = Math.Round(Stats.Median(train[v]) / reluTrain, 4),
            ["train_ratio_paired"] = Math.Round(Stats.PairedRatio(train[v], train["relu"]), 4),
            ["train_ratio_paired_ci95"] = Stats.PairedRatioInterval(train[v], train["relu"]).Select(r => Math.Round(r, 4)).ToArray(),
            ["page_faults_per_step_median"] = Stats.Median(faults[v]),
            ["forward_ms_median"] = Math.Round(Stats.Median(phases[v].Select(t => t.Forward).ToList()), 3),
            ["backward_ms_median"] = Math.Round(Stats.Median(phases[v].Select(t => t.Backward).ToList()), 3),
            ["scope_dispose_ms_median"] = Math.Round(Stats.Median(phases[v].Select(t => t.Dispose).ToList()), 3),
            ["managed_kb_allocated_per_step_median"] = Math.Round(Stats.Median(allocated[v]), 1),
            ["gc_pause_ms_per_step_mean"] = Math.Round(gcPause[v].Average(), 3),
            ["eval_forward_ms_median"] = Math.Round(Stats.Median(eval[v]), 3),
            ["eval_ratio_to_relu"] = Math.Round(Stats.Median(eval[v]) / reluEval, 4),
            ["eval_ratio_paired"] = Math.Round(Stats.PairedRatio(eval[v], eval["relu"]), 4),
        };
        if (options.Memory)
        {
            row["peak_step_memory_mb"] = Math.Round(memory[v], 1);
            row["memory_ratio_to_relu"] = Math.Round(memory[v] / memory["relu"], 4);
        }
        results.Add(row);
    }
    foreach (var m in models.Values) m.Dispose();
}

var report = new Dictionary<string, object>
{
    ["benchmark"] = "dropact-layer",
    ["batch"] = options.Batch,
    ["mode"] = (options.BFloat16 ? "bf16" : "fp32") + (options.ChannelsLast ? ", channels-last" : ""),
    ["input"] = "3x32x32",
    ["threads"] = options.Threads,
    ["allocator"] = DropActivation.Runtime.NativeAllocator.Current,
    ["retain_freed_memory"] = DropActivation.Runtime.FreedMemory.IsRetained,
    ["native_kernel"] = NativeKernel.Available,
    ["kernel_threads"] = options.KernelThreads == 0 ? "torch threads" : options.KernelThreads.ToString(CultureInfo.InvariantCulture),
    ["repeats"] = options.Repeats,
    ["cpu"] = DropActivation.Runtime.CpuFeatures.Current.Model,
    ["results"] = results,
};
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return 0;

namespace DropActivation.Bench
{
    internal sealed record BenchOptions(string[] Nets, List<string> Variants, int Repeats, int Warmup, int Batch, int Threads, int KernelThreads, bool Memory, (string Net, string Variant)? MemoryProbe)
    {
        /// <summary>Weights and batch in channels-last memory order.</summary>
        public bool ChannelsLast { get; init; }

        /// <summary>Forward and loss under DA.Autocast(BFloat16).</summary>
        public bool BFloat16 { get; init; }

        /// <summary>The mode's options, to hand to a child process.</summary>
        public IEnumerable<string> ModeArguments => (ChannelsLast ? new[] { "--channels-last" } : []).Concat(BFloat16 ? ["--bf16"] : []);

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions(new[] { "preresnet-20", "wrn-16-4" }, Bench.Variants.All, 15, 3, 64, 2, 1, true, null);
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--nets" => o with { Nets = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                    "--variants" => o with { Variants = Bench.Variants.Parse(Next()) },
                    "--repeats" => o with { Repeats = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--warmup" => o with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--batch" => o with { Batch = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--threads" => o with { Threads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--kernel-threads" => o with { KernelThreads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--no-memory" => o with { Memory = false },
                    "--channels-last" => o with { ChannelsLast = true },
                    "--bf16" => o with { BFloat16 = true },
                    "--memory-probe" => o with { MemoryProbe = (Next(), Next()) },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            return o;
        }
    }

    internal static class Networks
    {
        /// <summary>A zoo network for 10 classes of 3×32×32 input, every activation from the factory, no dropout.</summary>
        public static nn.Module<Tensor, Tensor> Build(string name, Func<nn.Module<Tensor, Tensor>> act)
        {
            var config = new ModelConfig(10, 3, 32) { Activation = act };
            if (name.StartsWith("wrn-", StringComparison.Ordinal)) config = config with { Dropout = 0.0 };
            return ModelRegistry.Create(name, config);
        }
    }

    internal static class Variants
    {
        /// <summary>relu: nn.ReLU; relu-again: a second, identical ReLU network (its ratio to relu is the noise floor);
        /// relu-custom-fn: ReLU computed by libtorch but through a TorchSharp custom autograd function, as the
        /// fast Drop-Activation is (its ratio is what that machinery alone costs); rrelu: the paper's RReLU; dropact: Drop-Activation (automatic = fast CPU kernel);
        /// dropact-portable: the straightforward formulation (dense Bernoulli mask + where).</summary>
        public static readonly List<string> All = new() { "relu", "relu-again", "rrelu", "dropact", "dropact-portable" };

        /// <summary>A comma-separated list; relu (the reference of every ratio) is always measured, first.</summary>
        public static List<string> Parse(string list)
        {
            var chosen = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            foreach (var v in chosen) Factory(v); // unknown names fail here, before anything runs
            return new[] { "relu" }.Concat(chosen.Where(v => v != "relu")).Distinct().ToList();
        }

        /// <summary>The bench's own variants, else the row of the activation table (relu, rrelu, dropact, …) at p = 0.95.</summary>
        public static Func<nn.Module<Tensor, Tensor>> Factory(string variant) => variant switch
        {
            "relu-again" => ActivationFactory.ReLU,
            "relu-custom-fn" => () => new ReluThroughCustomFunction(),
            "dropact-portable" => () => DA.DropAct(0.95, DropActBackend.Portable),
            _ => ActivationFactory.FromName(variant, 0.95),
        };
    }

    internal static class Step
    {
        /// <summary>The last training step's forward (to the loss), backward, and end-of-scope disposal times (ms).</summary>
        public static (double Forward, double Backward, double Dispose) LastPhases { get; private set; }

        private static BenchOptions _options = BenchOptions.Parse([]);

        /// <summary>Takes the compute mode (channels-last, bf16) of every later step; refuses bf16 the CPU would emulate.</summary>
        public static void Configure(BenchOptions options)
        {
            if (options.BFloat16 && !DropActivation.Runtime.CpuFeatures.Current.ComputesBFloat16Natively)
                throw new ArgumentException("--bf16 needs a CPU that computes bfloat16 natively (AVX512_BF16 or AMX)");
            _options = options;
        }

        /// <summary>The model in the mode's memory order.</summary>
        public static nn.Module<Tensor, Tensor> Prepare(nn.Module<Tensor, Tensor> model) => _options.ChannelsLast ? model.ToChannelsLast() : model;

        /// <summary>The batch in the mode's memory order.</summary>
        public static Tensor Input(Tensor x) => _options.ChannelsLast ? x.ToChannelsLast() : x;

        private static IDisposable? Precision() => _options.BFloat16 ? DA.Autocast(ScalarType.BFloat16) : null;

        public static double Train(nn.Module<Tensor, Tensor> model, optim.Optimizer opt, Tensor x, Tensor y)
        {
            var sw = Stopwatch.StartNew();
            double forward, backward, dispose;
            using (var scope = torch.NewDisposeScope())
            {
                opt.zero_grad();
                Tensor loss;
                using (Precision())
                    loss = nn.functional.cross_entropy(model.call(x), y);
                forward = sw.Elapsed.TotalMilliseconds;
                loss.backward();
                backward = sw.Elapsed.TotalMilliseconds - forward;
                opt.step();
                dispose = sw.Elapsed.TotalMilliseconds;
            }
            dispose = sw.Elapsed.TotalMilliseconds - dispose;
            LastPhases = (forward, backward, dispose);
            return sw.Elapsed.TotalMilliseconds;
        }

        public static double Eval(nn.Module<Tensor, Tensor> model, Tensor x)
        {
            model.eval();
            var sw = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            using (torch.no_grad())
            using (Precision())
                model.call(x);
            double ms = sw.Elapsed.TotalMilliseconds;
            model.train();
            return ms;
        }
    }

    internal static class MemoryProbe
    {
        /// <summary>
        /// In a fresh process: the largest growth of the resident set within one training step (MB),
        /// over 4 steps after a first one (momentum buffers exist from then on). Before each step the
        /// garbage of earlier steps is collected and glibc returns free memory (malloc_trim), and the
        /// kernel's peak counter is reset, so the figure is what one step itself needs.
        /// </summary>
        public static double Run(string net, string variant, BenchOptions options)
        {
            torch.set_num_threads(options.Threads);
            ReluDropActCpuKernel.MaxWorkers = options.KernelThreads;
            Step.Configure(options);
            torch.manual_seed(0);
            var x = Step.Input(torch.randn(options.Batch, 3, 32, 32));
            var y = torch.randint(10, new long[] { options.Batch });
            torch.manual_seed(1);
            var model = Step.Prepare(Networks.Build(net, Variants.Factory(variant)));
            var opt = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4);
            Step.Train(model, opt, x, y);
            double worst = 0;
            for (int i = 0; i < 4; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Machine.Trim();
                Machine.ResetPeak();
                double before = Machine.Rss();
                Step.Train(model, opt, x, y);
                worst = Math.Max(worst, Machine.PeakRss() - before);
            }
            return worst;
        }

        public static double Spawn(string net, string variant, BenchOptions options)
        {
            var self = typeof(MemoryProbe).Assembly.Location;
            var host = Environment.ProcessPath!;
            var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
            // Every allocation of 128 KiB or more gets its own mapping and goes back to the system
            // when freed, so the resident set follows the live tensors instead of glibc's caching
            // (which made the same network measure up to 10% apart between processes).
            psi.Environment["MALLOC_MMAP_THRESHOLD_"] = "131072";
            psi.Environment["MALLOC_TRIM_THRESHOLD_"] = "131072";
            // glibc's malloc, not the fast allocator this process may have been restarted under.
            if (psi.Environment.TryGetValue("LD_PRELOAD", out var preload) && preload is not null)
                psi.Environment["LD_PRELOAD"] = string.Join(':', preload.Split(':').Where(p => !p.Contains("malloc", StringComparison.Ordinal)));

            if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(self);
            foreach (var a in new[] { "--memory-probe", net, variant, "--batch", options.Batch.ToString(CultureInfo.InvariantCulture), "--threads", options.Threads.ToString(CultureInfo.InvariantCulture), "--kernel-threads", options.KernelThreads.ToString(CultureInfo.InvariantCulture) })
                psi.ArgumentList.Add(a);
            foreach (var a in options.ModeArguments) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"memory probe for {net}/{variant} failed with exit code {p.ExitCode}");
            return double.Parse(output.Trim().Split('\n').Last(), CultureInfo.InvariantCulture);
        }
    }

    internal static class Machine
    {
        public static double Rss() => StatusField("VmRSS:");
        public static double PeakRss() => StatusField("VmHWM:");

        /// <summary>Minor page faults of this process so far (/proc/self/stat, field 10).</summary>
        public static long MinorFaults() =>
            long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], CultureInfo.InvariantCulture);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
        private static extern int MallocTrim(nuint pad);

        /// <summary>Returns free heap memory to the system (glibc), so RSS starts from what is live.</summary>
        public static void Trim()
        {
            try { MallocTrim(0); }
            catch (DllNotFoundException) { }
            catch (EntryPointNotFoundException) { }
        }

        /// <summary>Resets the kernel's peak-RSS counter (VmHWM) for this process.</summary>
        public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

        private static double StatusField(string key)
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return double.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            throw new InvalidOperationException($"{key} not in /proc/self/status");
        }

    }

    internal static class Stats
    {
        public static double Median(List<double> xs) => InterleavedTiming.Median(xs);
        public static double Iqr(List<double> xs) => InterleavedTiming.Quantile(xs, 0.75) - InterleavedTiming.Quantile(xs, 0.25);

        /// <summary>
        /// Median over repeats of the ratio of a variant's time to ReLU's in the same repeat: both
        /// ran within one rotation, a few hundred milliseconds apart, so the machine's slow drifts
        /// (frequency, neighbours on a shared host) cancel.
        /// </summary>
        public static double PairedRatio(List<double> variant, List<double> relu) =>
            Median(variant.Zip(relu, (v, r) => v / r).ToList());

        /// <summary>
        /// A distribution-free 95% confidence interval for the median of the per-repeat ratios: the
        /// order statistics k and n+1-k, with k the largest such that P(Binomial(n, 1/2) &lt; k) &lt;= 2.5%.
        /// </summary>
        public static double[] PairedRatioInterval(List<double> variant, List<double> relu)
        {
            var ratios = variant.Zip(relu, (v, r) => v / r).OrderBy(r => r).ToArray();
            int n = ratios.Length;
            if (n < 6) return new[] { ratios.First(), ratios.Last() };
            double below = 0, term = Math.Pow(0.5, n); // P(B = 0)
            int k = 0;
            while (below + term <= 0.025) { below += term; k++; term *= (double)(n - k + 1) / k; }
            k = Math.Max(k, 1);
            return new[] { ratios[k - 1], ratios[n - k] };
        }
    }
}
