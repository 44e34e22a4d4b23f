using TorchSharp;
using static TorchSharp.torch;
using DropActivation.Analysis.Statistics;
using DropActivation.Models.Registry;
using DropActivation.Models.Simple;
using DropActivation.Training;
using DropActivation.Training.Optimization;

namespace DropActivation.Analysis.Digits;

/// <summary>Settings of the digits classification comparison.</summary>
/// <param name="P">Keep probability of Drop-Activation.</param>
/// <param name="Seeds">Training seeds per activation (initial weights, batch order, masks).</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Hidden">Widths of the two hidden layers of the MLP 64 → h → h → 10.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="TestFraction">Share of every class held out for testing.</param>
/// <param name="SplitSeed">Seed of the (fixed) train/test split.</param>
/// <param name="Seed">Base training seed; seed s uses Seed + s for every activation.</param>
/// <param name="Activations">The activations compared, by <see cref="ActivationFactory"/> name (default relu, rrelu, dropact).</param>
public sealed record DigitsOptions(
    double P = DA.DefaultP, int Seeds = 3, int Epochs = 30, int BatchSize = 64, int Hidden = 256,
    double LearningRate = 1e-3, double TestFraction = 0.25, int SplitSeed = 0, long Seed = 1,
    IReadOnlyList<string>? Activations = null)
{
    /// <summary>Activations in effect.</summary>
    public IReadOnlyList<string> Compared => Activations ?? new[] { "relu", "rrelu", "dropact" };
}

/// <summary>One training run.</summary>
/// <param name="TestErrors">Test error after every epoch (fraction, eval mode).</param>
/// <param name="FinalTrainError">Training-set error after the last epoch (eval mode).</param>
public sealed record DigitsRun(string Activation, long Seed, double[] TestErrors, double FinalTrainError)
{
    /// <summary>Test error after the last epoch.</summary>
    public double FinalTestError => TestErrors[^1];
}

/// <summary>All seeds of one activation.</summary>
public sealed record DigitsActivationSummary(string Kind, string Label, MeanStd FinalTestError, MeanStd FinalTrainError);

/// <summary>The whole comparison.</summary>
/// <param name="TrainSize">Images in the training split.</param>
/// <param name="TestSize">Images in the test split.</param>
public sealed record DigitsResult(DigitsOptions Options, int TrainSize, int TestSize, IReadOnlyList<DigitsRun> Runs,
    IReadOnlyList<DigitsActivationSummary> Activations, TimeSpan Elapsed)
{
    /// <summary>Per-epoch test error averaged over seeds.</summary>
    public double[] MeanCurve(string kind)
    {
        var runs = Runs.Where(r => r.Activation == kind).ToArray();
        if (runs.Length == 0) return Array.Empty<double>();
        return Enumerable.Range(0, runs[0].TestErrors.Length).Select(e => runs.Average(r => r.TestErrors[e])).ToArray();
    }
}

/// <summary>
/// A real classification comparison on the embedded UCI optical digits: an MLP 64 → 256 → 256 → 10
/// (inputs scaled to [0, 1]) trained with Adam and cross-entropy, once per seed and activation, on a
/// fixed stratified split; every activation of a seed starts from the same initial weights and sees the
/// same batch order. The network is the zoo's <see cref="RegressionMlp"/> with two hidden layers; the
/// epochs are the library's <see cref="TrainingEpoch"/> with Adam.
/// </summary>
public static class DigitsExperiment
{
    /// <summary>Runs the comparison and returns its runs (writes no files; <see cref="DigitsPlot"/> draws the curves).</summary>
    public static DigitsResult Run(DigitsOptions? options = null, DigitsDataset? data = null,
        IProgress<AnalysisProgress>? progress = null)
    {
        options ??= new DigitsOptions();
        Validate(options);
        data ??= DigitsData.LoadEmbedded();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (trainIdx, testIdx) = DigitsData.StratifiedSplit(data, options.TestFraction, options.SplitSeed);
        using var scope = torch.NewDisposeScope();
        var (xTrain, yTrain) = ToTensors(data, trainIdx);
        var (xTest, yTest) = ToTensors(data, testIdx);

        var runs = new List<DigitsRun>();
        int total = options.Seeds * options.Compared.Count, done = 0;
        for (int s = 0; s < options.Seeds; s++)
        {
            long seed = options.Seed + s;
            foreach (var kind in options.Compared)
            {
                runs.Add(TrainOne(kind, seed, options, xTrain, yTrain, xTest, yTest));
                done++;
                progress?.Report(new AnalysisProgress("digits", (double)done / total, $"{ActivationFactory.Label(kind, options.P)} seed {s + 1}/{options.Seeds}"));
            }
        }
        var summaries = options.Compared.Select(k => new DigitsActivationSummary(k, ActivationFactory.Label(k, options.P),
            MeanStd.Of(runs.Where(r => r.Activation == k).Select(r => r.FinalTestError)),
            MeanStd.Of(runs.Where(r => r.Activation == k).Select(r => r.FinalTrainError)))).ToArray();
        return new DigitsResult(options, trainIdx.Length, testIdx.Length, runs, summaries, clock.Elapsed);
    }

    private static DigitsRun TrainOne(string kind, long seed, DigitsOptions o, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest)
    {
        torch.manual_seed(seed);
        var config = new ModelConfig(DigitsDataset.Classes, DigitsDataset.Features) { Activation = ActivationFactory.FromName(kind, o.P) };
        using var model = new RegressionMlp(config, new[] { o.Hidden, o.Hidden });
        using var opt = new AdamOptimizer(model, o.LearningRate);
        // Batch orders come from their own generator so that all activations see the same ones.
        using var orderGen = new torch.Generator((ulong)seed * 31 + 17);
        var errors = new double[o.Epochs];
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            using (var epochScope = torch.NewDisposeScope())
                TrainingEpoch.Run(model, Batches(xTrain, yTrain, o.BatchSize, orderGen), opt, o.LearningRate, EpochLoss.CrossEntropy, epoch);
            errors[epoch] = Error(model, xTest, yTest);
        }
        return new DigitsRun(kind, seed, errors, Error(model, xTrain, yTrain));
    }

    /// <summary>One epoch's mini-batches in a random order drawn from <paramref name="order"/> (freed with the caller's scope).</summary>
    private static IEnumerable<(Tensor, Tensor)> Batches(Tensor x, Tensor y, int batchSize, torch.Generator order)
    {
        long n = x.shape[0];
        var perm = torch.randperm(n, generator: order);
        for (long start = 0; start < n; start += batchSize)
        {
            var idx = perm.narrow(0, start, Math.Min(batchSize, n - start));
            yield return (x.index_select(0, idx), y.index_select(0, idx));
        }
    }

    /// <summary>Classification error of the model in eval mode.</summary>
    private static double Error(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        long correct = model.call(x).argmax(1).eq(y).sum().item<long>();
        return 1.0 - (double)correct / y.shape[0];
    }

    private static (Tensor X, Tensor Y) ToTensors(DigitsDataset data, int[] indices)
    {
        var x = new float[indices.Length * DigitsDataset.Features];
        var y = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            for (int j = 0; j < DigitsDataset.Features; j++) x[i * DigitsDataset.Features + j] = data.Pixels[r * DigitsDataset.Features + j] / 16f;
            y[i] = data.Labels[r];
        }
        return (torch.tensor(x, new long[] { indices.Length, DigitsDataset.Features }), torch.tensor(y));
    }

    private static void Validate(DigitsOptions o)
    {
        DA.CheckP(o.P);
        if (o.Seeds < 1 || o.Epochs < 1 || o.BatchSize < 1 || o.Hidden < 1)
            throw new ArgumentOutOfRangeException(nameof(o), "Seeds, epochs, batch size and width must be positive.");
        if (!(o.LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "The learning rate must be positive.");
        if (o.Compared.Count == 0) throw new ArgumentOutOfRangeException(nameof(o.Activations), "At least one activation is needed.");
    }
}
