using System.Text.Json.Serialization;
using DropActivation.Analysis.Statistics;
using DropActivation.Models.Registry;
using DropActivation.Models.Simple;
using DropActivation.Training;
using DropActivation.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.Regression;

/// <summary>Settings of the regression demo (Figure 2).</summary>
/// <param name="P">Keep probability of Drop-Activation.</param>
/// <param name="Seeds">Repetitions; each draws new sample positions, noise and initial weights.</param>
/// <param name="Steps">Full-batch Adam steps per fit.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="TrainPoints">Noisy samples per function (20 in the paper).</param>
/// <param name="GridPoints">Points of the dense test grid.</param>
/// <param name="Hidden">Hidden widths (1000, 800, 200 in the paper).</param>
/// <param name="Seed">Base seed; run s of function f uses Seed + 1000·s + f.</param>
public sealed record RegressionOptions(
    double P = DA.DefaultP, int Seeds = 3, int Steps = 800, double LearningRate = 2e-3, int TrainPoints = 20,
    int GridPoints = 1000, IReadOnlyList<int>? Hidden = null, long Seed = 1)
{
    /// <summary>The paper's hidden widths.</summary>
    public static IReadOnlyList<int> PaperHidden { get; } = new[] { 1000, 800, 200 };

    /// <summary>Hidden widths in effect.</summary>
    public IReadOnlyList<int> HiddenWidths => Hidden ?? PaperHidden;
}

/// <summary>One fit: one function, one seed, one activation.</summary>
/// <param name="Activation">"relu" or "dropact" (<see cref="ActivationFactory"/> names).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="TestMse">Mean squared error against the noise-free function on the dense grid (eval mode).</param>
/// <param name="TrainMse">Mean squared error on the noisy training samples (eval mode).</param>
public sealed record RegressionFit(string Activation, long Seed, double TestMse, double TrainMse);

/// <summary>The curves of one run, for plotting.</summary>
public sealed record RegressionCurves(double[] TrainX, double[] TrainY, double[] GridX, double[] Truth, double[] ReluFit, double[] DropActFit);

/// <summary>All runs of one function.</summary>
/// <param name="Function">The ground truth.</param>
/// <param name="Fits">Every fit (seeds × {ReLU, Drop-Activation}).</param>
/// <param name="Curves">The curves of the first seed.</param>
public sealed record RegressionFunctionResult(TargetFunction Function, IReadOnlyList<RegressionFit> Fits, [property: JsonIgnore] RegressionCurves Curves)
{
    /// <summary>Test MSE of ReLU over seeds.</summary>
    public MeanStd ReluTestMse => TestMse("relu");

    /// <summary>Test MSE of Drop-Activation over seeds.</summary>
    public MeanStd DropActTestMse => TestMse("dropact");

    /// <summary>Test MSE over seeds for one activation.</summary>
    public MeanStd TestMse(string kind) => MeanStd.Of(Fits.Where(f => f.Activation == kind).Select(f => f.TestMse));

    /// <summary>Training MSE over seeds for one activation.</summary>
    public MeanStd TrainMse(string kind) => MeanStd.Of(Fits.Where(f => f.Activation == kind).Select(f => f.TrainMse));
}

/// <summary>The whole regression demo.</summary>
public sealed record RegressionResult(RegressionOptions Options, IReadOnlyList<RegressionFunctionResult> Functions, TimeSpan Elapsed);

/// <summary>
/// Figure 2 of the paper: 20 noisy samples of a function, the zoo's MLP 1 → 1000 → 800 → 200 → 1
/// (<see cref="RegressionMlp"/>, <c>mlp-regression</c>) fitted with ReLU and with Drop-Activation (same
/// data and initial weights) by the library's <see cref="TrainingEpoch"/>, evaluated in eval mode on a dense grid.
/// The input is scaled to [−1, 1] before the first layer.
/// </summary>
public static class RegressionExperiment
{
    /// <summary>The activations compared.</summary>
    public static IReadOnlyList<string> Compared { get; } = new[] { "relu", "dropact" };

    /// <summary>Runs every function of <paramref name="functions"/> (default: both of Figure 2) and returns the
    /// fits and curves (writes no files; <see cref="RegressionPlot"/> draws them).</summary>
    public static RegressionResult Run(RegressionOptions? options = null, IEnumerable<TargetFunction>? functions = null,
        IProgress<AnalysisProgress>? progress = null)
    {
        options ??= new RegressionOptions();
        Validate(options);
        var fs = (functions ?? TargetFunction.Figure2).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int totalFits = fs.Length * options.Seeds * Compared.Count, doneFits = 0;
        var results = new List<RegressionFunctionResult>();
        for (int fi = 0; fi < fs.Length; fi++)
        {
            var f = fs[fi];
            var fits = new List<RegressionFit>();
            RegressionCurves? curves = null;
            for (int s = 0; s < options.Seeds; s++)
            {
                long seed = options.Seed + 1000L * s + fi;
                int shown = s + 1;
                var run = RunOne(f, seed, options, kind =>
                {
                    doneFits++;
                    progress?.Report(new AnalysisProgress("regress", (double)doneFits / totalFits,
                        $"{f.Name}, seed {shown}/{options.Seeds}, {ActivationFactory.Label(kind, options.P)} fitted"));
                });
                fits.AddRange(run.Fits);
                curves ??= run.Curves;
            }
            results.Add(new RegressionFunctionResult(f, fits, curves!));
        }
        return new RegressionResult(options, results, clock.Elapsed);
    }

    /// <summary>One seed of one function: draws the data, fits ReLU and Drop-Activation from the same initial weights.</summary>
    public static (IReadOnlyList<RegressionFit> Fits, RegressionCurves Curves) RunOne(TargetFunction f, long seed, RegressionOptions options, Action<string>? fitDone = null)
    {
        Validate(options);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        double half = (f.XMax - f.XMin) / 2, mid = (f.XMax + f.XMin) / 2;
        // Jittered grid: one sample uniformly inside each of TrainPoints equal bins, so the samples
        // cover the domain (as in the paper's figure) and the test error measures fitting, not extrapolation.
        var jitter = torch.rand(options.TrainPoints, dtype: ScalarType.Float64).data<double>().ToArray();
        var noise = torch.randn(options.TrainPoints, dtype: ScalarType.Float64).mul(f.NoiseStd);
        double bin = (f.XMax - f.XMin) / options.TrainPoints;
        double[] tx = jitter.Select((u, i) => f.XMin + bin * (i + u)).ToArray();
        double[] ty = tx.Select(f.F).Zip(noise.data<double>().ToArray(), (a, b) => a + b).ToArray();
        double[] gx = Enumerable.Range(0, options.GridPoints).Select(i => f.XMin + (f.XMax - f.XMin) * i / (options.GridPoints - 1.0)).ToArray();
        double[] truth = gx.Select(f.F).ToArray();

        var xIn = Column(tx.Select(v => (v - mid) / half));
        var yIn = Column(ty);
        var gIn = Column(gx.Select(v => (v - mid) / half));
        long initSeed = seed * 7 + 3;

        var fits = new List<RegressionFit>();
        double[]? reluFit = null, daFit = null;
        foreach (var kind in Compared)
        {
            torch.manual_seed(initSeed); // same initial weights and the same stream for both activations
            var config = new ModelConfig(NumClasses: 1, InChannels: 1) { Activation = ActivationFactory.FromName(kind, options.P) };
            using var model = new RegressionMlp(config, options.HiddenWidths);
            Train(model, xIn, yIn, options);
            model.eval();
            double[] fit;
            double trainMse;
            using (torch.no_grad())
            using (var inner = torch.NewDisposeScope())
            {
                fit = model.call(gIn).to_type(ScalarType.Float64).flatten().data<double>().ToArray();
                var trainPred = model.call(xIn).to_type(ScalarType.Float64).flatten().data<double>().ToArray();
                trainMse = trainPred.Zip(ty, (a, b) => (a - b) * (a - b)).Average();
            }
            double testMse = fit.Zip(truth, (a, b) => (a - b) * (a - b)).Average();
            fits.Add(new RegressionFit(kind, seed, testMse, trainMse));
            if (kind == "relu") reluFit = fit; else daFit = fit;
            fitDone?.Invoke(kind);
        }
        return (fits, new RegressionCurves(tx, ty, gx, truth, reluFit!, daFit!));
    }

    /// <summary>Full-batch Adam: one epoch of <see cref="RegressionOptions.Steps"/> steps, each on all samples.</summary>
    private static void Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, RegressionOptions options)
    {
        using var opt = new AdamOptimizer(model, options.LearningRate);
        TrainingEpoch.Run(model, Enumerable.Repeat((x, y), options.Steps), opt, options.LearningRate, EpochLoss.MeanSquaredError);
    }

    private static Tensor Column(IEnumerable<double> values)
    {
        var a = values.Select(v => (float)v).ToArray();
        return torch.tensor(a, new long[] { a.Length, 1 });
    }

    private static void Validate(RegressionOptions o)
    {
        DA.CheckP(o.P);
        if (o.Seeds < 1) throw new ArgumentOutOfRangeException(nameof(o.Seeds), o.Seeds, "At least one seed is needed.");
        if (o.Steps < 1) throw new ArgumentOutOfRangeException(nameof(o.Steps), o.Steps, "At least one training step is needed.");
        if (!(o.LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "The learning rate must be positive.");
        if (o.TrainPoints < 2 || o.GridPoints < 2) throw new ArgumentOutOfRangeException(nameof(o), "At least two training and two grid points are needed.");
        if (o.HiddenWidths.Count == 0 || o.HiddenWidths.Any(w => w < 1)) throw new ArgumentOutOfRangeException(nameof(o.Hidden), "Hidden widths must be positive.");
    }
}
