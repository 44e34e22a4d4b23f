using DropActivation.Analysis.Statistics;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.Theory;

/// <summary>Settings of the Property 1 Monte-Carlo check.</summary>
/// <param name="P">Keep probability of Drop-Activation.</param>
/// <param name="InputDim">Dimension of x.</param>
/// <param name="Hidden">Width of the hidden ReLU layer (W1 is Hidden × InputDim).</param>
/// <param name="OutputDim">Dimension of y (W2 is OutputDim × Hidden).</param>
/// <param name="Samples">n, the number of training pairs (x_i, y_i) in the sum of Eq. (8).</param>
/// <param name="Draws">Monte-Carlo draws of the mask P (all n samples per draw).</param>
/// <param name="Confidence">Two-sided confidence level of the interval, e.g. 0.99.</param>
/// <param name="OrthonormalOutput">W2 with orthonormal columns (needs OutputDim ≥ Hidden): the case in
/// which the paper's literal formula and the exact one coincide.</param>
/// <param name="Seed">Seed of torch's generator (weights, data and masks).</param>
public sealed record ImplicitPenaltyOptions(
    double P = DA.DefaultP, int InputDim = 5, int Hidden = 32, int OutputDim = 3, int Samples = 16,
    int Draws = 40_000, double Confidence = 0.99, bool OrthonormalOutput = false, long Seed = 1);

/// <summary>Result of the Property 1 check; losses are sums over the n samples, as in Eq. (8)–(9).</summary>
/// <param name="TestLoss">Σ‖W2 r_p(W1 x_i) − y_i‖², the loss of the deterministic test-time network.</param>
/// <param name="MeanTrainingLoss">Monte-Carlo mean over P of Σ‖W2 (I − P + P r)(W1 x_i) − y_i‖².</param>
/// <param name="Difference">MeanTrainingLoss − TestLoss (per-draw differences averaged).</param>
/// <param name="StdError">Standard error of <paramref name="Difference"/>.</param>
/// <param name="CiLow">Lower end of the confidence interval of the difference.</param>
/// <param name="CiHigh">Upper end.</param>
/// <param name="ExactPenalty">(1−p)/p · Σ_i Σ_j ‖W2[:, j]‖² (W1x_i − r_p(W1x_i))_j² = p(1−p)·Σ_i ‖W2 diag((I − D)W1x_i)‖_F²:
/// what the paper's proof computes up to its last line, Eq. (15) and the trace form.</param>
/// <param name="PaperPenalty">(1−p)/p · Σ‖W2 W1 x_i − W2 r_p(W1 x_i)‖², Eq. (9) as printed.</param>
public sealed record ImplicitPenaltyResult(
    ImplicitPenaltyOptions Options, double TestLoss, double MeanTrainingLoss, double Difference, double StdError,
    double CiLow, double CiHigh, double ExactPenalty, double PaperPenalty)
{
    /// <summary>The exact expectation lies inside the Monte-Carlo interval.</summary>
    public bool ExactWithinCi => ExactPenalty >= CiLow && ExactPenalty <= CiHigh;

    /// <summary>The paper's printed penalty lies inside the Monte-Carlo interval.</summary>
    public bool PaperWithinCi => PaperPenalty >= CiLow && PaperPenalty <= CiHigh;

    /// <summary>(Difference − ExactPenalty) / StdError.</summary>
    public double ExactZ => (Difference - ExactPenalty) / StdError;

    /// <summary>(Difference − PaperPenalty) / StdError.</summary>
    public double PaperZ => (Difference - PaperPenalty) / StdError;
}

/// <summary>
/// Property 1 of the paper (Section 4.1): for ŷ = W2 r(W1 x), averaging the Drop-Activation training
/// loss over the mask P gives the test-time loss plus a penalty. The paper prints the penalty as
/// (1−p)/p·‖W2 W1 x − W2 r_p(W1 x)‖². Its proof is right up to
/// p(1−p)·tr{(I−D)² diag(v) W2ᵀW2 diag(v)}, which is a sum over hidden units j of
/// p(1−p)·‖W2[:, j]‖²·((1−d_j) v_j)², i.e. the squared Frobenius norm of W2·diag((I−D)v); the last
/// line replaces it with the squared vector norm ‖W2 (I−D) v‖², which adds the cross terms
/// Σ_{j≠k} (W2ᵀW2)_jk u_j u_k. The two agree when the columns of W2 over the units with negative
/// pre-activation are orthogonal (one output and one such unit, or orthonormal W2), and in expectation
/// over a zero-mean random W2, but not for a given network. This check estimates the expectation by
/// Monte-Carlo with the library's own Drop-Activation layer and compares it with both forms.
/// </summary>
public static class ImplicitPenalty
{
    /// <summary>Draws the random network and data, then estimates E_P[training loss] − test loss.</summary>
    public static ImplicitPenaltyResult Run(ImplicitPenaltyOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new ImplicitPenaltyOptions();
        Validate(options);
        torch.manual_seed(options.Seed);
        using var scope = torch.NewDisposeScope();
        var dt = ScalarType.Float64;
        var w1 = torch.randn(new long[] { options.Hidden, options.InputDim }, dtype: dt).div(Math.Sqrt(options.InputDim));
        Tensor w2;
        if (options.OrthonormalOutput)
        {
            var a = torch.randn(new long[] { options.OutputDim, options.Hidden }, dtype: dt);
            var (q, _) = torch.linalg.qr(a); // OutputDim × Hidden, orthonormal columns
            w2 = q;
        }
        else
        {
            w2 = torch.randn(new long[] { options.OutputDim, options.Hidden }, dtype: dt).div(Math.Sqrt(options.Hidden));
        }
        var x = torch.randn(new long[] { options.Samples, options.InputDim }, dtype: dt);
        var y = torch.randn(new long[] { options.Samples, options.OutputDim }, dtype: dt);
        return Estimate(w1, w2, x, y, options, progress);
    }

    /// <summary>The check on a given network and data (W1: h×d_in, W2: d_out×h, X: n×d_in, Y: n×d_out).</summary>
    public static ImplicitPenaltyResult Estimate(Tensor w1, Tensor w2, Tensor x, Tensor y, ImplicitPenaltyOptions options, IProgress<double>? progress = null)
    {
        Validate(options);
        double p = options.P;
        using var scope = torch.NewDisposeScope();
        var dt = ScalarType.Float64;
        w1 = w1.to_type(dt); w2 = w2.to_type(dt); x = x.to_type(dt); y = y.to_type(dt);
        var v = x.matmul(w1.t());                                              // n × h: W1 x_i
        var rp = DA.functional.drop_act(v, p, training: false);                 // r_p(W1 x_i)
        double testLoss = rp.matmul(w2.t()).sub(y).square().sum().item<double>();
        var u = v.sub(rp);                                                      // W1x − r_p(W1x)
        double c = p > 0 ? (1 - p) / p : double.NaN;
        double paper = c * u.matmul(w2.t()).square().sum().item<double>();
        double exact = c * u.square().matmul(w2.square().sum(new long[] { 0 })).sum().item<double>();

        const int chunk = 1000;
        var diffs = new double[options.Draws];
        int done = 0;
        while (done < options.Draws)
        {
            using var inner = torch.NewDisposeScope();
            int m = Math.Min(chunk, options.Draws - done);
            var vv = v.unsqueeze(0).expand(m, -1, -1).contiguous();              // m × n × h
            var hidden = DA.functional.drop_act(vv, p, training: true);          // fresh P per element
            var losses = hidden.matmul(w2.t()).sub(y).square().sum(new long[] { 1, 2 }).sub(testLoss);
            var arr = losses.data<double>().ToArray();
            Array.Copy(arr, 0, diffs, done, m);
            done += m;
            progress?.Report((double)done / options.Draws);
        }
        double mean = diffs.Average();
        double sd = Math.Sqrt(diffs.Sum(d => (d - mean) * (d - mean)) / (diffs.Length - 1));
        double se = sd / Math.Sqrt(diffs.Length);
        double z = NormalDistribution.Quantile(0.5 + options.Confidence / 2);
        return new ImplicitPenaltyResult(options, testLoss, testLoss + mean, mean, se, mean - z * se, mean + z * se, exact, paper);
    }

    private static void Validate(ImplicitPenaltyOptions o)
    {
        DA.CheckP(o.P);
        if (o.InputDim < 1 || o.Hidden < 1 || o.OutputDim < 1 || o.Samples < 1)
            throw new ArgumentOutOfRangeException(nameof(o), "Dimensions and sample count must be positive.");
        if (o.Draws < 100) throw new ArgumentOutOfRangeException(nameof(o.Draws), o.Draws, "At least 100 Monte-Carlo draws are needed.");
        if (!(o.Confidence > 0 && o.Confidence < 1)) throw new ArgumentOutOfRangeException(nameof(o.Confidence), o.Confidence, "Confidence must lie in (0, 1).");
        if (o.OrthonormalOutput && o.OutputDim < o.Hidden)
            throw new ArgumentOutOfRangeException(nameof(o.OutputDim), o.OutputDim, "Orthonormal W2 columns need OutputDim >= Hidden.");
    }
}
