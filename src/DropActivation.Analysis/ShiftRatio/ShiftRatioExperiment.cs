using System.Diagnostics;
using System.Globalization;
using DropActivation.Analysis.Theory;
using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Loading;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.ShiftRatio;

/// <summary>
/// Figure 4: trains a zoo model once per activation (same seed, same data order) and after every
/// epoch measures, on a fixed probe batch of training images (no augmentation), the shift ratio
/// Var_test / Var_train of a stage's output (see <see cref="StageProbe"/>). <see cref="Run"/> only
/// computes; <see cref="ShiftRatioCsv"/> and <see cref="ShiftRatioPlot"/> (with Property 2's closed
/// form at p as the reference line) write the table and the figure.
/// </summary>
public static class ShiftRatioExperiment
{
    private const ulong ProbeSeed = 0x9_0_0_B_E;

    /// <summary>Runs the measurement of <paramref name="options"/> and returns its rows (writes no files).</summary>
    /// <exception cref="ArgumentException">A bad option, or an unknown model, data set, stage or activation (the message lists the valid ones).</exception>
    /// <exception cref="DataNotFoundException">The data set's files are not under the data root.</exception>
    public static ShiftRatioResult Run(ShiftRatioOptions options, IProgress<AnalysisProgress>? progress = null)
    {
        var info = Check(options);
        var clock = Stopwatch.StartNew();
        var full = options.LoadTrainingSplit(info);
        using var owner = full as IDisposable;
        var train = DataSplit.StratifiedSubset(full, options.TrainSubset);
        var eval = Augmentations.Eval(info);
        var shape = eval.OutputShape(train) ?? throw new ArgumentException($"{info.Name}: images vary in size; use a data set of fixed size.");
        var trainPipeline = options.Augment ? Augmentations.Train(info, AugmentExtras.None) : eval;
        using var probe = ProbeBatch(train, eval, options.ProbeImages);
        using var loader = new DataLoader(train, trainPipeline, options.BatchSize, shuffle: true, seed: unchecked((ulong)options.Seed));

        var rows = new List<ShiftRatioEpoch>();
        string? stage = null;
        int channels = 0;
        for (int a = 0; a < options.Activations.Count; a++)
        {
            string act = options.Activations[a].Trim().ToLowerInvariant();
            var config = new ModelConfig(info.NumClasses, shape.Channels, shape.Height)
            {
                Activation = ActivationFactory.FromName(act, options.P), Dropout = options.Dropout,
            };
            torch.manual_seed(options.Seed);
            using var model = ModelRegistry.Create(options.Model, config);
            stage ??= options.Stage ?? (model.StageNames.Count > 1 ? model.StageNames[1] : model.StageNames[0]);
            using var stageProbe = new StageProbe(model, stage, options.Mode);
            using var optimizer = options.CreateOptimizer(model);

            void Measure(int epoch, double loss, double error)
            {
                var v = stageProbe.Measure(probe, options.ProbeDraws);
                channels = v.Train.Length;
                rows.Add(new ShiftRatioEpoch(act, epoch, loss, error, v.Train.Average(), v.Test.Average(), v.Ratio, v.MeanChannelRatio));
                progress?.Report(new AnalysisProgress("shift-ratio", (a + (double)epoch / options.Epochs) / options.Activations.Count,
                    string.Create(CultureInfo.InvariantCulture, $"{act}, epoch {epoch}/{options.Epochs}: ratio {v.Ratio:0.0000}") +
                        (double.IsNaN(loss) ? "" : string.Create(CultureInfo.InvariantCulture, $", train loss {loss:0.0000}"))));
            }

            Measure(0, double.NaN, double.NaN);
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                double lr = options.LearningRateAt(epoch);
                var pass = TrainingEpoch.Run(model, loader, epoch, optimizer, lr);
                Measure(epoch + 1, pass.Loss, pass.Error);
            }
        }

        return new ShiftRatioResult
        {
            Options = options, DatasetTitle = info.Title, Stage = stage!, Channels = channels, TrainImages = train.Count,
            ClosedForm = VarianceShift.ClosedForm(options.P), Epochs = rows, Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Checks the options and every name in them (data set, model, stage, activations) without loading
    /// anything; returns the data set's description.
    /// </summary>
    /// <exception cref="ArgumentException">A bad value or an unknown name; the message lists the valid choices.</exception>
    public static DataSetInfo Check(ShiftRatioOptions options)
    {
        options.Validate();
        var info = DataSets.Get(options.Dataset);
        var model = ModelRegistry.Describe(options.Model);
        var stages = model.Stages;
        if (options.Dropout is > 0 && model.DefaultDropout is null)
            throw new ArgumentException($"{model.Name} has no dropout layer (only the Wide ResNets do); got dropout {options.Dropout}.");
        if (options.Dropout is { } dr && (double.IsNaN(dr) || dr < 0 || dr >= 1))
            throw new ArgumentException($"Dropout must lie in [0, 1), got {dr}.");
        if (options.Stage is { } s && !stages.Contains(s))
            throw new ArgumentException($"Model {options.Model} has no stage '{s}'. Valid stages: {string.Join(", ", stages)}.");
        foreach (var a in options.Activations) ActivationFactory.FromName(a, options.P);
        return info;
    }

    /// <summary>A fixed batch of <paramref name="count"/> training images (evaluation pipeline, a seed-independent random choice).</summary>
    private static Tensor ProbeBatch(IDataSource train, AugmentPipeline eval, int count)
    {
        count = Math.Min(count, train.Count);
        using var loader = new DataLoader(train, eval, count, shuffle: true, seed: ProbeSeed);
        using var first = loader.GetEpoch(0).First();
        return first.Images.clone();
    }
}
