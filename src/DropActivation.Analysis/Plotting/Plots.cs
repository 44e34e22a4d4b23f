using DropActivation.Analysis.Digits;
using DropActivation.Analysis.Regression;
using DropActivation.Analysis.Theory;
using ScottPlot;

namespace DropActivation.Analysis.Plotting;

/// <summary>The figures of the analyses, rendered headless to PNG with ScottPlot.</summary>
public static class Plots
{
    /// <summary>Default figure size in pixels.</summary>
    public const int Width = 900, Height = 560;

    // The paper's Figure 2 colours: blue ground truth, orange ReLU, green Drop-Activation.
    private static readonly Color Blue = Color.FromHex("#1f77b4"), Orange = Color.FromHex("#ff7f0e"),
        Green = Color.FromHex("#2ca02c"), Red = Color.FromHex("#d62728"), Grey = Color.FromHex("#555555");

    /// <summary>Figure 2: ground truth, the noisy samples, the ReLU fit and the Drop-Activation fit.</summary>
    public static void Regression(string path, TargetFunction f, RegressionCurves c, double p)
    {
        var plt = new Plot();
        Line(plt, c.GridX, c.Truth, Blue, "ground truth", 2.5f);
        Line(plt, c.GridX, c.ReluFit, Orange, "ReLU", 2f);
        Line(plt, c.GridX, c.DropActFit, Green, Activation.Label(ActivationKind.DropAct, p), 2f);
        var pts = plt.Add.ScatterPoints(c.TrainX, c.TrainY, Color.FromHex("#000000"));
        pts.MarkerShape = MarkerShape.Asterisk;
        pts.MarkerSize = 12;
        pts.LegendText = $"{c.TrainX.Length} noisy samples";
        plt.Title($"Regression of {f.Title}");
        plt.XLabel("x");
        plt.YLabel("y");
        plt.ShowLegend(Edge.Bottom); // outside the data area: samples reach every corner
        Save(plt, path);
    }

    /// <summary>Property 2: the closed-form shift ratio over p and the Monte-Carlo estimates (± 3 standard errors).</summary>
    public static void VarianceShift(string path, VarianceShiftResult r)
    {
        var plt = new Plot();
        double lo = Math.Min(0.5, r.Points.Min(x => x.P));
        var xs = Enumerable.Range(0, 201).Select(i => lo + (1 - lo) * i / 200.0).ToArray();
        Line(plt, xs, xs.Select(Theory.VarianceShift.ClosedForm).ToArray(), Blue, "closed form, Eq. (20)", 2f);
        var mc = plt.Add.ScatterPoints(r.Points.Select(x => x.P).ToArray(), r.Points.Select(x => x.MonteCarlo).ToArray(), Red);
        mc.MarkerShape = MarkerShape.OpenCircle;
        mc.MarkerSize = 10;
        mc.LegendText = $"Monte-Carlo ({r.Options.Samples:N0} samples per p)";
        var eb = plt.Add.ErrorBar(r.Points.Select(x => x.P).ToArray(), r.Points.Select(x => x.MonteCarlo).ToArray(),
            r.Points.Select(x => 3 * x.StdError).ToArray());
        eb.Color = Red;
        plt.Title("Property 2: variance shift ratio Var(X_test)/Var(X_train)");
        plt.XLabel("keep probability p");
        plt.YLabel("shift ratio");
        plt.ShowLegend(Alignment.UpperLeft);
        Save(plt, path);
    }

    /// <summary>Property 1 over p: the Monte-Carlo difference with its interval, the exact penalty and the printed one.</summary>
    public static void ImplicitPenalty(string path, IReadOnlyList<ImplicitPenaltyResult> rs)
    {
        var plt = new Plot();
        var ps = rs.Select(r => r.Options.P).ToArray();
        Line(plt, ps, rs.Select(r => r.ExactPenalty).ToArray(), Green, "exact penalty (1-p)/p·Σ_j‖W2[:,j]‖²(v−r_p(v))_j²", 2f);
        Line(plt, ps, rs.Select(r => r.PaperPenalty).ToArray(), Orange, "printed penalty (1-p)/p·‖W2(W1x − r_p(W1x))‖²", 2f);
        var mc = plt.Add.ScatterPoints(ps, rs.Select(r => r.Difference).ToArray(), Red);
        mc.MarkerShape = MarkerShape.OpenCircle;
        mc.MarkerSize = 9;
        double conf = rs.Count > 0 ? rs[0].Options.Confidence : 0.99;
        mc.LegendText = FormattableString.Invariant($"Monte-Carlo E[train loss] − test loss ({conf:P0} CI)");
        var eb = plt.Add.ErrorBar(ps, rs.Select(r => r.Difference).ToArray(), rs.Select(r => (r.CiHigh - r.CiLow) / 2).ToArray());
        eb.Color = Red;
        plt.Title("Property 1: Drop-Activation's implicit penalty (random one-hidden-layer net)");
        plt.XLabel("keep probability p");
        plt.YLabel("loss difference (sum over samples)");
        plt.ShowLegend(Alignment.UpperRight);
        Save(plt, path);
    }

    /// <summary>Digits: test error per epoch, mean over seeds, one line per activation.</summary>
    public static void DigitsCurves(string path, DigitsResult r)
    {
        var plt = new Plot();
        var colors = new[] { Orange, Grey, Green };
        int ci = 0;
        foreach (var a in r.Activations)
        {
            var curve = r.MeanCurve(a.Kind);
            var xs = Enumerable.Range(1, curve.Length).Select(i => (double)i).ToArray();
            Line(plt, xs, curve.Select(e => 100 * e).ToArray(), colors[ci++ % colors.Length],
                $"{a.Label}: final {100 * a.FinalTestError.Mean:0.00} ± {100 * a.FinalTestError.Std:0.00} %", 2f);
        }
        plt.Title($"Optical digits: test error ({r.Options.Seeds} seeds, mean)");
        plt.XLabel("epoch");
        plt.YLabel("test error (%)");
        plt.ShowLegend(Alignment.UpperRight);
        Save(plt, path);
    }

    private static void Line(Plot plt, double[] xs, double[] ys, Color color, string label, float width)
    {
        var s = plt.Add.ScatterLine(xs, ys, color);
        s.LineWidth = width;
        s.LegendText = label;
    }

    private static void Save(Plot plt, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plt.SavePng(path, Width, Height);
    }
}
