using DropActivation.Analysis.Plotting;
using ScottPlot;

namespace DropActivation.Analysis.Theory;

/// <summary>The figures of Properties 1 and 2 as PNGs, in the shared style of <see cref="Plots"/>.</summary>
public static class TheoryPlot
{
    /// <summary>File names of the two figures in an output folder.</summary>
    public const string VarianceShiftFile = "theory-variance-shift.png", PenaltyFile = "theory-penalty.png";

    /// <summary>Writes both figures of <paramref name="result"/> into <paramref name="dir"/>; returns their paths.</summary>
    public static (string VarianceShift, string Penalty) SaveAll(string dir, TheoryResult result)
    {
        var (vs, penalty) = (Path.Combine(dir, VarianceShiftFile), Path.Combine(dir, PenaltyFile));
        VarianceShift(vs, result.VarianceShift);
        ImplicitPenalty(penalty, result.PenaltySweep);
        return (vs, penalty);
    }

    /// <summary>Property 2: the closed-form shift ratio over p and the Monte-Carlo estimates (± 3 standard errors).</summary>
    public static void VarianceShift(string path, VarianceShiftResult r)
    {
        var plt = new Plot();
        double lo = Math.Min(0.5, r.Points.Min(x => x.P));
        var xs = Enumerable.Range(0, 201).Select(i => lo + (1 - lo) * i / 200.0).ToArray();
        Plots.Line(plt, xs, xs.Select(Theory.VarianceShift.ClosedForm).ToArray(), Plots.Blue, "closed form, Eq. (20)", 2f);
        var mc = plt.Add.ScatterPoints(r.Points.Select(x => x.P).ToArray(), r.Points.Select(x => x.MonteCarlo).ToArray(), Plots.Red);
        mc.MarkerShape = MarkerShape.OpenCircle;
        mc.MarkerSize = 10;
        mc.LegendText = $"Monte-Carlo ({r.Options.Samples:N0} samples per p)";
        var eb = plt.Add.ErrorBar(r.Points.Select(x => x.P).ToArray(), r.Points.Select(x => x.MonteCarlo).ToArray(),
            r.Points.Select(x => 3 * x.StdError).ToArray());
        eb.Color = Plots.Red;
        Plots.Save(plt, path, "Property 2: variance shift ratio Var(X_test)/Var(X_train)", "keep probability p", "shift ratio", Alignment.UpperLeft);
    }

    /// <summary>Property 1 over p: the Monte-Carlo difference with its interval, the exact penalty and the printed one.</summary>
    public static void ImplicitPenalty(string path, IReadOnlyList<ImplicitPenaltyResult> rs)
    {
        var plt = new Plot();
        var ps = rs.Select(r => r.Options.P).ToArray();
        Plots.Line(plt, ps, rs.Select(r => r.ExactPenalty).ToArray(), Plots.Green, "exact penalty (1-p)/p·Σ_j‖W2[:,j]‖²(v−r_p(v))_j²", 2f);
        Plots.Line(plt, ps, rs.Select(r => r.PaperPenalty).ToArray(), Plots.Orange, "printed penalty (1-p)/p·‖W2(W1x − r_p(W1x))‖²", 2f);
        var mc = plt.Add.ScatterPoints(ps, rs.Select(r => r.Difference).ToArray(), Plots.Red);
        mc.MarkerShape = MarkerShape.OpenCircle;
        mc.MarkerSize = 9;
        double conf = rs.Count > 0 ? rs[0].Options.Confidence : 0.99;
        mc.LegendText = FormattableString.Invariant($"Monte-Carlo E[train loss] − test loss ({conf:P0} CI)");
        var eb = plt.Add.ErrorBar(ps, rs.Select(r => r.Difference).ToArray(), rs.Select(r => (r.CiHigh - r.CiLow) / 2).ToArray());
        eb.Color = Plots.Red;
        Plots.Save(plt, path, "Property 1: Drop-Activation's implicit penalty (random one-hidden-layer net)", "keep probability p",
            "loss difference (sum over samples)", Alignment.UpperRight);
    }
}
