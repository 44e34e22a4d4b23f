using System.Diagnostics;
using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Loading;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Analysis.Statistics;
using DropActivation.Training;
using DropActivation.Training.Evaluation;
using TorchSharp;

namespace DropActivation.Analysis.PSweep;

/// <summary>
/// The p grid search of Figure 5: for every run r and every p, the appendix's simple CNN with
/// Drop-Activation(p) (plain ReLU at p = 1) is trained without augmentation on 90 % of the training
/// set (a stratified split drawn from seed + r) and its top-1 error measured on the other 10 %. Run r
/// uses the same split and the same initial weights for every p (common random numbers), so the
/// differences between p values are not blurred by split-to-split variation. <see cref="Run"/> only
/// computes; <see cref="PSweepCsv"/> and <see cref="PSweepPlot"/> write the tables and the figure.
/// </summary>
public static class PSweepExperiment
{
    /// <summary>The model of the appendix.</summary>
    public const string Model = "simple-cnn";

    /// <summary>Runs the sweep of <paramref name="options"/> and returns its points and runs (writes no files).</summary>
    /// <exception cref="ArgumentException">A bad option or an unknown data set name (the message lists the valid ones).</exception>
    /// <exception cref="DataNotFoundException">The data set's files are not under the data root.</exception>
    public static PSweepResult Run(PSweepOptions options, IProgress<AnalysisProgress>? progress = null)
    {
        var info = Check(options);
        var clock = Stopwatch.StartNew();
        var full = options.LoadTrainingSplit(info);
        using var owner = full as IDisposable;
        var source = DataSplit.StratifiedSubset(full, options.TrainSubset);
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
                        (done + (double)epoch / options.Epochs) / total, $"run {r + 1}/{options.Runs}, p = {Reports.Fmt.F(p, "0.###")}: {message}"))));
                done++;
            }
        }

        var points = options.PValues
            .Select(p => new PSweepPoint(p, ConfidenceInterval.Of(runs.Where(x => x.P == p).Select(x => x.ValidationError), options.Confidence)))
            .ToList();
        return new PSweepResult
        {
            Options = options, DatasetTitle = info.Title, TrainImages = trainImages, ValidationImages = validationImages, Points = points,
            Runs = runs, Seconds = clock.Elapsed.TotalSeconds,
        };
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
        ActivationFactory.FromName(p >= 1.0 ? "relu" : "dropact", p);

    private static PSweepRun TrainOne(PSweepOptions o, ModelConfig config, double p, int run, long seed, DataLoader trainLoader,
        DataLoader validationLoader, int numClasses, Action<int, string> report)
    {
        var clock = Stopwatch.StartNew();
        torch.manual_seed(seed); // same initial weights for every p of this run; the random activations follow from it
        using var model = ModelRegistry.Create(Model, config);
        using var optimizer = o.CreateOptimizer(model);
        EpochTotals last = default;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double lr = o.LearningRateAt(epoch);
            last = TrainingEpoch.Run(model, trainLoader, epoch, optimizer, lr);
            report(epoch + 1, FormattableString.Invariant($"epoch {epoch + 1}/{o.Epochs}, train loss {last.Loss:0.0000}"));
        }
        var validation = Evaluator.Evaluate(model, validationLoader, torch.CPU, numClasses);
        return new PSweepRun(p, run, seed, last.Loss, last.Error, validation.Top1Error, clock.Elapsed.TotalSeconds);
    }
}
