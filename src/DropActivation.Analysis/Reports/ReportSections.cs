using DropActivation.Analysis.Digits;
using DropActivation.Analysis.Regression;
using DropActivation.Analysis.Theory;
using static DropActivation.Analysis.Reports.Fmt;

namespace DropActivation.Analysis.Reports;

/// <summary>The tables and sections of the analyses, as markdown (used by the commands' table files and by the demo report).</summary>
public static class ReportSections
{
    public static readonly string[] VarianceShiftHeaders = { "p", "closed form (Eq. 20)", "Monte-Carlo", "std. error", "rel. error", "1 % in std. errors" };

    public static IEnumerable<string[]> VarianceShiftRows(VarianceShiftResult r) => r.Points.Select(x => new[]
    {
        F(x.P, "0.00"), F(x.ClosedForm, "0.00000"), F(x.MonteCarlo, "0.00000"), F(x.StdError, "0.00000"),
        Pct(x.RelativeError, 3), double.IsInfinity(x.OnePercentInStdErrors) ? "∞ (exact)" : F(x.OnePercentInStdErrors, "0.0"),
    });

    public static readonly string[] PenaltyHeaders =
        { "network", "p", "test loss", "E_P[train loss] − test loss (MC)", "CI", "exact penalty", "in CI", "printed penalty (Eq. 9)", "in CI" };

    public static string[] PenaltyRow(string network, ImplicitPenaltyResult r) => new[]
    {
        network, F(r.Options.P, "0.00"), F(r.TestLoss, "0.0000"), $"{F(r.Difference, "0.00000")} ± {F(r.StdError, "0.00000")}",
        $"[{F(r.CiLow, "0.00000")}, {F(r.CiHigh, "0.00000")}] ({F(100 * r.Options.Confidence, "0.#")} %)",
        F(r.ExactPenalty, "0.00000"), r.ExactWithinCi ? $"yes (z = {F(r.ExactZ, "0.00")})" : $"NO (z = {F(r.ExactZ, "0.00")})",
        F(r.PaperPenalty, "0.00000"), r.PaperWithinCi ? $"yes (z = {F(r.PaperZ, "0.00")})" : $"no (z = {F(r.PaperZ, "0.00")})",
    };

    public static IEnumerable<string[]> PenaltyRows(TheoryResult t)
    {
        var o = t.Penalty.Options;
        yield return PenaltyRow($"random W2 ({o.OutputDim}×{o.Hidden})", t.Penalty);
        var q = t.PenaltyOrthonormal.Options;
        yield return PenaltyRow($"orthonormal W2 ({q.OutputDim}×{q.Hidden})", t.PenaltyOrthonormal);
    }

    public static readonly string[] RegressionHeaders = { "function", "ReLU test MSE", "Drop-Activation test MSE", "ReLU train MSE", "Drop-Activation train MSE" };

    public static IEnumerable<string[]> RegressionRows(RegressionResult r) => r.Functions.Select(f => new[]
    {
        f.Function.Title, Pm(f.TestMse("relu")), Pm(f.TestMse("dropact")),
        Pm(f.TrainMse("relu")), Pm(f.TrainMse("dropact")),
    });

    public static readonly string[] DigitsHeaders = { "activation", "test error (mean ± std)", "train error", "runs" };

    public static IEnumerable<string[]> DigitsRows(DigitsResult r) => r.Activations.Select(a => new[]
    {
        a.Label, PctPm(a.FinalTestError), PctPm(a.FinalTrainError), a.FinalTestError.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>Section for Properties 1 and 2; images are linked relative to the report's folder.</summary>
    public static MarkdownReport Theory(TheoryResult t, string command, int level = 2, string? reportDir = null)
    {
        var vs = t.VarianceShift;
        var md = new MarkdownReport().Heading(level, "Theory: Properties 1 and 2 (Section 4)");
        md.Paragraph($"Made by `{command}` in {F(t.Elapsed.TotalSeconds, "0.0")} s.");
        md.Heading(level + 1, "Property 2: variance shift ratio");
        md.Paragraph($"x ~ N(0, I_{vs.Options.Width}), a random weight row w, the library's Drop-Activation layer in training mode " +
                     $"(X_train) and evaluation mode (X_test) on the same inputs; {vs.Options.Samples:N0} samples per p, standard errors " +
                     $"from {vs.Options.Batches} batches. Closed form: ((1/2 − 1/(2π))p² − p + 1)/(1 − p/2 − p²/(2π)). " +
                     $"Largest relative error: {Pct(vs.MaxRelativeError, 3)}.");
        md.Table(VarianceShiftHeaders, VarianceShiftRows(vs));
        Figure(md, "Property 2: variance shift ratio", TheoryPlot.VarianceShiftFile, reportDir);
        md.Heading(level + 1, "Property 1: the implicit penalty");
        var o = t.Penalty.Options;
        md.Paragraph($"A random one-hidden-layer ReLU network (x ∈ R^{o.InputDim}, {o.Hidden} hidden units, W1 ~ N(0, 1/{o.InputDim}), " +
                     $"W2 ~ N(0, 1/{o.Hidden})) and random data (n = {o.Samples}, x, y ~ N(0, I)). The Monte-Carlo column averages, over " +
                     $"{o.Draws:N0} draws of the mask P (the library's layer in training mode), Σ_i ‖W2 (I − P + P r)(W1 x_i) − y_i‖² − " +
                     "Σ_i ‖W2 r_p(W1 x_i) − y_i‖². The paper's Eq. (9) prints the penalty as (1−p)/p·Σ_i‖W2 W1 x_i − W2 r_p(W1 x_i)‖². " +
                     "Its proof is exact up to p(1−p)·tr{(I−D)² diag(v) W2ᵀW2 diag(v)}, which equals " +
                     "(1−p)/p·Σ_i Σ_j ‖W2[:, j]‖²·(W1 x_i − r_p(W1 x_i))_j² (\"exact penalty\"); its last line turns this into the squared " +
                     "vector norm, which adds cross terms between hidden units. The two agree when W2's columns are orthonormal (second row) " +
                     "and on average over zero-mean random W2, but not for a given network (first row).");
        md.Table(PenaltyHeaders, PenaltyRows(t));
        Figure(md, "Property 1: Monte-Carlo against the penalties", TheoryPlot.PenaltyFile, reportDir);
        return md;
    }

    /// <summary>Section for the regression demo (Figure 2).</summary>
    public static MarkdownReport Regression(RegressionResult r, string command, int level = 2, string? reportDir = null)
    {
        var o = r.Options;
        var md = new MarkdownReport().Heading(level, "Regression with 20 noisy samples (Figure 2)");
        md.Paragraph($"Made by `{command}` in {F(r.Elapsed.TotalSeconds, "0.0")} s. MLP 1 → {string.Join(" → ", o.HiddenWidths)} → 1 " +
                     $"(ReLU or Drop-Activation p = {F(o.P, "0.##")} after each hidden layer), full-batch Adam, lr {F(o.LearningRate, "G3")}, " +
                     $"{o.Steps} steps, the same data and initial weights for both; {o.TrainPoints} samples on a jittered grid, " +
                     $"Gaussian noise; test MSE against the noise-free function on {o.GridPoints} grid points in eval mode; " +
                     $"mean ± std over {o.Seeds} seed(s). Figures show the first seed.");
        md.Table(RegressionHeaders, RegressionRows(r));
        foreach (var f in r.Functions) Figure(md, $"Regression of {f.Function.Title}", RegressionPlot.File(f.Function), reportDir);
        return md;
    }

    /// <summary>Section for the digits classification comparison.</summary>
    public static MarkdownReport Digits(DigitsResult r, string command, int level = 2, string? reportDir = null)
    {
        var o = r.Options;
        var md = new MarkdownReport().Heading(level, "Classification: UCI optical digits");
        md.Paragraph($"Made by `{command}` in {F(r.Elapsed.TotalSeconds, "0.0")} s. {r.TrainSize} training / {r.TestSize} test images " +
                     $"(stratified, split seed {o.SplitSeed}); MLP 64 → {o.Hidden} → {o.Hidden} → 10, Adam lr {F(o.LearningRate, "G3")}, " +
                     $"batch {o.BatchSize}, {o.Epochs} epochs; errors after the last epoch in eval mode, mean ± std over {o.Seeds} seed(s) " +
                     "(every activation of a seed starts from the same weights and sees the same batches).");
        md.Table(DigitsHeaders, DigitsRows(r));
        Figure(md, "Digits: test error per epoch", DigitsPlot.File, reportDir);
        md.Paragraph("Data: " + DigitsData.Attribution);
        return md;
    }

    /// <summary>Links a figure written beside the report (none when there is no report folder or no such file).</summary>
    private static void Figure(MarkdownReport md, string caption, string file, string? reportDir)
    {
        if (reportDir is not null && File.Exists(Path.Combine(reportDir, file))) md.Image(caption, file);
    }
}
