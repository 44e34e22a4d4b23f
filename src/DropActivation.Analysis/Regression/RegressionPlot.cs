using DropActivation.Analysis.Plotting;
using DropActivation.Models.Registry;
using ScottPlot;

namespace DropActivation.Analysis.Regression;

/// <summary>Figure 2 as a PNG, in the shared style of <see cref="Plots"/>.</summary>
public static class RegressionPlot
{
    /// <summary>File name of a function's figure in an output folder: regress-&lt;name&gt;.png.</summary>
    public static string File(TargetFunction f) => $"regress-{f.Name}.png";

    /// <summary>Writes one figure per function of <paramref name="result"/> (first seed's curves) into <paramref name="dir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> SaveAll(string dir, RegressionResult result) => result.Functions.Select(f =>
    {
        var path = Path.Combine(dir, File(f.Function));
        Save(path, f.Function, f.Curves, result.Options.P);
        return path;
    }).ToArray();

    /// <summary>Figure 2: ground truth, the noisy samples, the ReLU fit and the Drop-Activation fit.</summary>
    public static void Save(string path, TargetFunction f, RegressionCurves c, double p)
    {
        var plt = new Plot();
        Plots.Line(plt, c.GridX, c.Truth, Plots.Blue, "ground truth", 2.5f);
        Plots.Line(plt, c.GridX, c.ReluFit, Plots.Orange, "ReLU", 2f);
        Plots.Line(plt, c.GridX, c.DropActFit, Plots.Green, ActivationFactory.Label("dropact", p), 2f);
        var pts = plt.Add.ScatterPoints(c.TrainX, c.TrainY, Color.FromHex("#000000"));
        pts.MarkerShape = MarkerShape.Asterisk;
        pts.MarkerSize = 12;
        pts.LegendText = $"{c.TrainX.Length} noisy samples";
        plt.Title($"Regression of {f.Title}");
        plt.XLabel("x");
        plt.YLabel("y");
        plt.ShowLegend(Edge.Bottom); // outside the data area: samples reach every corner
        Plots.Save(plt, path);
    }
}
