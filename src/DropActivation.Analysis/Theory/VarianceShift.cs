using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.Theory;

/// <summary>Settings of the Property 2 Monte-Carlo check.</summary>
/// <param name="Samples">Number of draws of X_train and X_test per p.</param>
/// <param name="Width">d: entries of x ~ N(0, I_d) summed by the random weight row w.</param>
/// <param name="Batches">The samples are split into this many equal batches; the spread of the
/// per-batch ratios gives the standard error.</param>
/// <param name="Seed">Seed of torch's generator (inputs, weights and masks).</param>
public sealed record VarianceShiftOptions(long Samples = 2_000_000, int Width = 4, int Batches = 40, long Seed = 1)
{
    /// <summary>The grid: p = 0.60, 0.65, …, 1.00.</summary>
    public static IReadOnlyList<double> DefaultGrid { get; } =
        Enumerable.Range(0, 9).Select(i => Math.Round(0.60 + 0.05 * i, 2)).ToArray();
}

/// <summary>One p of the Property 2 check.</summary>
/// <param name="P">Keep probability.</param>
/// <param name="ClosedForm">The paper's Eq. (20).</param>
/// <param name="MonteCarlo">Var(X_test)/Var(X_train) estimated from the samples.</param>
/// <param name="StdError">Standard error of <paramref name="MonteCarlo"/> (batch means).</param>
/// <param name="VarTrain">Estimated Var(X_train) / ‖w‖² (closed form: 1 − p/2 − p²/(2π)).</param>
/// <param name="VarTest">Estimated Var(X_test) / ‖w‖² (closed form: (1/2 − 1/(2π))p² − p + 1).</param>
public sealed record VarianceShiftPoint(double P, double ClosedForm, double MonteCarlo, double StdError, double VarTrain, double VarTest)
{
    /// <summary>|MC − closed form| / closed form.</summary>
    public double RelativeError => Math.Abs(MonteCarlo - ClosedForm) / ClosedForm;

    /// <summary>How many standard errors 1 % of the closed form is (how strict the 1 % check is).</summary>
    public double OnePercentInStdErrors => StdError > 0 ? 0.01 * ClosedForm / StdError : double.PositiveInfinity;
}

/// <summary>The whole Property 2 table.</summary>
public sealed record VarianceShiftResult(VarianceShiftOptions Options, IReadOnlyList<VarianceShiftPoint> Points)
{
    /// <summary>Largest relative error over the grid.</summary>
    public double MaxRelativeError => Points.Max(x => x.RelativeError);
}

/// <summary>
/// Property 2 of the paper (Section 4.2): with x ~ N(0, I_d) entering Drop-Activation (ReLU, keep
/// probability p) followed by a linear map w, X_train = Σ w_i((1−P_i)x_i + P_i r(x_i)) and
/// X_test = Σ w_i((1−p)x_i + p r(x_i)) have
/// Var(X_test)/Var(X_train) = ((1/2 − 1/(2π))p² − p + 1) / (1 − p/2 − p²/(2π)), Eq. (20) = Eq. (17).
/// The Monte-Carlo check runs the library's own layer (<see cref="DA.functional.drop_act"/>) in
/// training and in evaluation mode on the same inputs.
/// </summary>
public static class VarianceShift
{
    /// <summary>Eq. (20): Var_test / Var_train. 1 at p = 0 and at p = 1; ≈ 0.9377 at p = 0.95.</summary>
    public static double ClosedForm(double p)
    {
        CheckP(p);
        return TestVariance(p) / TrainVariance(p);
    }

    /// <summary>Eq. (18) divided by ‖w‖²: 1 − p/2 − p²/(2π).</summary>
    public static double TrainVariance(double p) => 1.0 - p / 2.0 - p * p / (2.0 * Math.PI);

    /// <summary>Eq. (19) divided by ‖w‖²: (1/2 − 1/(2π))p² − p + 1.</summary>
    public static double TestVariance(double p) => (0.5 - 1.0 / (2.0 * Math.PI)) * p * p - p + 1.0;

    /// <summary>Runs the Monte-Carlo check at every p of <paramref name="grid"/> (default 0.60…1.00).</summary>
    public static VarianceShiftResult Run(VarianceShiftOptions? options = null, IEnumerable<double>? grid = null, IProgress<double>? progress = null)
    {
        options ??= new VarianceShiftOptions();
        var ps = (grid ?? VarianceShiftOptions.DefaultGrid).ToArray();
        var points = new List<VarianceShiftPoint>(ps.Length);
        for (int i = 0; i < ps.Length; i++)
        {
            points.Add(MonteCarlo(ps[i], options with { Seed = options.Seed + 7919L * i }));
            progress?.Report((i + 1.0) / ps.Length);
        }
        return new VarianceShiftResult(options, points);
    }

    /// <summary>Monte-Carlo estimate of the shift ratio at one p.</summary>
    public static VarianceShiftPoint MonteCarlo(double p, VarianceShiftOptions options)
    {
        CheckP(p);
        if (options.Samples < 1000) throw new ArgumentOutOfRangeException(nameof(options), options.Samples, "At least 1000 samples are needed.");
        if (options.Width < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Width, "Width must be at least 1.");
        if (options.Batches < 2 || options.Batches > options.Samples / 100)
            throw new ArgumentOutOfRangeException(nameof(options), options.Batches, "Batches must lie in [2, samples/100].");

        torch.manual_seed(options.Seed);
        long perBatch = options.Samples / options.Batches;
        using var outer = torch.NewDisposeScope();
        var w = torch.randn(new long[] { options.Width, 1 }, dtype: ScalarType.Float64);
        double wNorm2 = w.square().sum().item<double>();

        // Per batch: sums of X and X² for train and test, so both the pooled and the per-batch
        // variances come from one pass.
        var ratios = new double[options.Batches];
        double sTr = 0, sTr2 = 0, sTe = 0, sTe2 = 0;
        long n = 0;
        for (int b = 0; b < options.Batches; b++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(new long[] { perBatch, options.Width }, dtype: ScalarType.Float64);
            var train = DA.functional.drop_act(x, p, training: true).matmul(w);
            var test = DA.functional.drop_act(x, p, training: false).matmul(w);
            double bTr = train.sum().item<double>(), bTr2 = train.square().sum().item<double>();
            double bTe = test.sum().item<double>(), bTe2 = test.square().sum().item<double>();
            ratios[b] = Variance(bTe, bTe2, perBatch) / Variance(bTr, bTr2, perBatch);
            sTr += bTr; sTr2 += bTr2; sTe += bTe; sTe2 += bTe2; n += perBatch;
        }
        double varTrain = Variance(sTr, sTr2, n), varTest = Variance(sTe, sTe2, n);
        double mean = ratios.Average();
        double sd = Math.Sqrt(ratios.Sum(r => (r - mean) * (r - mean)) / (ratios.Length - 1));
        return new VarianceShiftPoint(p, ClosedForm(p), varTest / varTrain, sd / Math.Sqrt(ratios.Length),
            varTrain / wNorm2, varTest / wNorm2);
    }

    private static double Variance(double sum, double sumSq, long n)
    {
        double m = sum / n;
        return (sumSq - n * m * m) / (n - 1);
    }

    private static void CheckP(double p)
    {
        DA.CheckP(p);
    }
}
