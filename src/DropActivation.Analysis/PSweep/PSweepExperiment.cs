using System.Diagnostics;
using System.Globalization;
using System.Text;
using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Loading;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training.Evaluation;
using DropActivation.Training.Optimization;
using TorchSharp;

namespace DropActivation.Analysis.PSweep;

/// <summary>
/// The p grid search of Figure 5: for every run r and every p, the appendix's simple CNN with
/// Drop-Activation(p) (plain ReLU at p = 1) is trained without augmentation on 90 % of the training
/// set (a stratified split drawn from seed + r) and its top-1 error measured on the other 10 %. Run r
/// uses the same split and the same initial weights for every p (common random numbers), so the
/// differences between p values are not blurred by split-to-split variation. Writes p-sweep.csv,
/// p-sweep-runs.csv and p-sweep.png into the output folder.
/// </summary>
public static class PSweepExperiment
{
    /// <summary>The model of the appendix.</summary>
    public const string Model = "simple-cnn";

    private const ulong SubsetSeed = 0x5_0_5_3_3_E_E_B;

    /// <summary>Runs the sweep of <paramref name="options"/>, writing the tables and the figure into <paramref name="outDir"/>.</summary>
    /// <exception cref="ArgumentException">A bad option or an unknown data set name (the message lists the valid ones).</exception>
    /// <exception cref="DataNotFoundException">The data set's files are not under the data root.</exception>
    public static PSweepResult Run(PSweepOptions options, string outDir, IProgress<AnalysisProgress>? progress = null)
    {
        var info = Check(options);
        var clock = Stopwatch.StartNew();
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        Directory.CreateDirectory(outDir);

        var full = DataSets.Load(info.Name, options.DataRoot, "train");
        try
        {
            IDataSource source = options.TrainSubset is { } n && n < full.Count
                ? DataSplit.TrainValidation(full, (double)n / full.Count, SubsetSeed).Validation
                : full;
            var pipeline = Augmentations.Eval(info); // the paper's p-search uses no augmentation
            var shape = pipeline.OutputShape(source) ?? throw new ArgumentException($"{info.Name}: images vary in size; the simple CNN needs one size.");
            var config = new ModelConfig(info.NumClasses, shape.Channels, shape.Height);

            var runs = new List<PSweepRun>();
            int total = options.Runs * options.PValues.Count, done = 0;
            int trainImages = 0, validationImages = 0;
            for (int r = 0; r < options.Runs; r++)
            {
                long seed = options.Seed + r;
                var (trainPart, validationPart) = DataSplit.TrainValidation(source, options.ValidationFraction, unchecked((ulong)seed));
                (trainImages, validationImages) = (trainPart.Count, validationPart.Count);
                using var trainLoader = new DataLoader(trainPart, pipeline, options.BatchSize, shuffle: true, seed: unchecked((ulong)seed));
                using var validationLoader = new DataLoader(validationPart, pipeline, Math.Max(options.BatchSize, 256), shuffle: false);
                foreach (var p in options.PValues)
                {
                    runs.Add(TrainOne(options, config with { Activation = ActivationFor(p) }, p, r, seed, trainLoader, validationLoader,
                        info.NumClasses, (epoch, message) => progress?.Report(new AnalysisProgress("p-sweep",
                            (done + (double)epoch / options.Epochs) / total, $"run {r + 1}/{options.Runs}, p = {Fmt(p)}: {message}"))));
                    done++;
                }
            }

            var points = options.PValues
                .Select(p => new PSweepPoint(p, ConfidenceInterval.Of(runs.Where(x => x.P == p).Select(x => x.ValidationError), options.Confidence)))
                .ToList();
            var csv = Path.Combine(outDir, "p-sweep.csv");
            var runsCsv = Path.Combine(outDir, "p-sweep-runs.csv");
            var png = Path.Combine(outDir, "p-sweep.png");
            File.WriteAllText(csv, PointsCsv(points), new UTF8Encoding(false));
            File.WriteAllText(runsCsv, RunsCsv(runs), new UTF8Encoding(false));
            var result = new PSweepResult
            {
                Options = options, TrainImages = trainImages, ValidationImages = validationImages, Points = points, Runs = runs,
                CsvPath = csv, RunsCsvPath = runsCsv, PngPath = png, Seconds = clock.Elapsed.TotalSeconds,
            };
            PSweepPlot.Save(png, result, info.Title);
            return result;
        }
        finally
        {
            (full as IDisposable)?.Dispose();
        }
    }

    /// <summary>Checks the options and the data set name without loading anything; returns the data set's description.</summary>
    /// <exception cref="ArgumentException">A bad value or an unknown data set (the message lists the valid ones).</exception>
    public static DataSetInfo Check(PSweepOptions options)
    {
        options.Validate();
        return DataSets.Get(options.Dataset);
    }

    /// <summary>The activation factory for p: plain ReLU at p = 1 (Drop-Activation's p = 1 is ReLU exactly), Drop-Activation(p) otherwise.</summary>
    public static Func<TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> ActivationFor(double p) =>
        p >= 1.0 ? ActivationFactory.ReLU : ActivationFactory.FromName("dropact", p);

    private static PSweepRun TrainOne(PSweepOptions o, ModelConfig config, double p, int run, long seed, DataLoader trainLoader,
        DataLoader validationLoader, int numClasses, Action<int, string> report)
    {
        var clock = Stopwatch.StartNew();
        torch.manual_seed(seed); // same initial weights for every p of this run; the random activations follow from it
        using var model = ModelRegistry.Create(Model, config);
        using var optimizer = o.CreateOptimizer(model);
        (double Loss, double Error) last = default;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double lr = o.LearningRateAt(epoch);
            last = ClassifierEpoch.Train(model, optimizer, trainLoader, epoch, lr);
            report(epoch + 1, FormattableString.Invariant($"epoch {epoch + 1}/{o.Epochs}, train loss {last.Loss:0.0000}"));
        }
        var validation = Evaluator.Evaluate(model, validationLoader, torch.CPU, numClasses);
        return new PSweepRun(p, run, seed, last.Loss, last.Error, validation.Top1Error, clock.Elapsed.TotalSeconds);
    }

    private static string PointsCsv(IEnumerable<PSweepPoint> points)
    {
        var sb = new StringBuilder("p,activation,runs,mean_val_error,std,t_quantile,ci_half_width,ci_low,ci_high\n");
        foreach (var x in points)
        {
            var c = x.ValidationError;
            sb.Append(CultureInfo.InvariantCulture, $"{Fmt(x.P)},{(x.P >= 1 ? "relu" : "dropact")},{c.Count},{c.Mean:R},{c.Std:R},{c.TQuantile:R},{c.HalfWidth:R},{c.Low:R},{c.High:R}\n");
        }
        return sb.ToString();
    }

    private static string RunsCsv(IEnumerable<PSweepRun> runs)
    {
        var sb = new StringBuilder("p,run,seed,train_loss,train_error,val_error,seconds\n");
        foreach (var r in runs.OrderBy(r => r.P).ThenBy(r => r.Run))
            sb.Append(CultureInfo.InvariantCulture, $"{Fmt(r.P)},{r.Run},{r.Seed},{r.TrainLoss:R},{r.TrainError:R},{r.ValidationError:R},{r.Seconds:0.###}\n");
        return sb.ToString();
    }

    private static string Fmt(double p) => p.ToString("0.###", CultureInfo.InvariantCulture);
}
