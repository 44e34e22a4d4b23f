using System.Diagnostics;
using DropActivation.Benchmarking;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training;
using DropActivation.Training.Logging;
using DropActivation.Training.Optimization;
using TorchSharp;

namespace DropActivation.Analysis.Timing;

/// <summary>
/// Table 5 on this machine: the training time per batch of one zoo model with ReLU, RReLU,
/// Drop-Activation and Drop-Activation's portable path, measured the way the layer benchmark
/// (bench/DropActivation.Bench) does: all variants built in one process from the same seed, on the
/// same fixed batch, in the benchmarks' loop (<see cref="InterleavedTiming"/>: warm-up repeats, then repeats
/// in which every variant runs once in a rotated order); medians and ratios to ReLU.
/// A step is the training step of every run (<see cref="TrainingEpoch"/>) on that one batch: forward,
/// cross-entropy, backward and an SGD-with-momentum update, in one dispose scope, in the options' memory order and
/// precision (<see cref="ComputeMode"/>).
/// The batch is random data of the data set's image shape: the arithmetic is that of the real images.
/// </summary>
public static class TimingBenchmark
{
    /// <summary>Runs the measurement and returns its rows (writes no files; <see cref="TimingPlot"/> draws them).</summary>
    /// <exception cref="ArgumentException">A bad option or an unknown model or data set name (the message lists the valid ones).</exception>
    public static TimingResult Run(TimingOptions options, IProgress<AnalysisProgress>? progress = null)
    {
        var info = Check(options);
        var (channels, size) = InputShape(info);
        var clock = Stopwatch.StartNew();
        if (options.Threads > 0) torch.set_num_threads(options.Threads);

        var variants = TimingVariant.All(options.P);
        var config = new ModelConfig(info.NumClasses, channels, size);
        torch.manual_seed(options.Seed);
        var mode = options.Mode;
        using var x = torch.randn(options.BatchSize, channels, size, size);
        using var y = torch.randint(info.NumClasses, new long[] { options.BatchSize });
        var models = new List<ZooModel>();
        var optimizers = new List<SgdMomentum>();
        try
        {
            foreach (var v in variants)
            {
                torch.manual_seed(options.Seed + 1);
                var model = ModelRegistry.Create(options.Model, config with { Activation = v.Factory });
                model.train();
                mode.Prepare(model);
                models.Add(model);
                optimizers.Add(new SgdMomentum(model, 0.9, 5e-4));
            }
            long parameters = models[0].ParameterCount();

            int total = options.Warmup + options.Repeats;
            var samples = InterleavedTiming.Run(variants.Count, options.Warmup, options.Repeats, (i, _) =>
            {
                var watch = Stopwatch.StartNew();
                TrainingEpoch.Run(models[i], [(x, y)], optimizers[i], 0.01, EpochLoss.CrossEntropy, mode: mode);
                return watch.Elapsed.TotalMilliseconds;
            }, rep => progress?.Report(new AnalysisProgress("timing", (double)(rep + options.Warmup + 1) / total,
                rep < 0 ? $"warm-up {rep + options.Warmup + 1}/{options.Warmup}" : $"repeat {rep + 1}/{options.Repeats}")));

            double reluMedian = InterleavedTiming.Median(samples[0]);
            var rows = variants.Select((v, i) => new TimingRow(v.Name, v.Label, InterleavedTiming.Median(samples[i]),
                InterleavedTiming.Quantile(samples[i], 0.75) - InterleavedTiming.Quantile(samples[i], 0.25), samples[i].Min(),
                InterleavedTiming.Median(samples[i]) / reluMedian, samples[i])).ToList();
            return new TimingResult
            {
                Options = options, InputShape = new[] { channels, size, size }, NumClasses = info.NumClasses, Parameters = parameters,
                Threads = torch.get_num_threads(), Cpu = DropActivation.Runtime.CpuFeatures.Current.Model, Rows = rows, Seconds = clock.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            foreach (var o in optimizers) o.Dispose();
            foreach (var m in models) m.Dispose();
        }
    }

    /// <summary>Checks the options, the model and the data set names; returns the data set's description.</summary>
    /// <exception cref="ArgumentException">A bad value or an unknown name (the message lists the valid ones).</exception>
    public static DataSetInfo Check(TimingOptions options)
    {
        options.Validate();
        var info = DataSets.Get(options.Dataset);
        var model = ModelRegistry.Describe(options.Model);
        var (_, size) = InputShape(info);
        if (size < model.MinImageSize)
            throw new ArgumentException($"{model.Name} needs inputs of at least {model.MinImageSize}×{model.MinImageSize}; {info.Name} images are {size}×{size}.");
        return info;
    }

    /// <summary>Channels and side of the data set's images as the models see them (ImageNet: 224×224 crops).</summary>
    public static (int Channels, int Size) InputShape(DataSetInfo info) => (info.Shape.Channels, info.Shape.Height ?? 224);
}
