using System.Globalization;
using DropActivation.Analysis.Plotting;
using ScottPlot;

namespace DropActivation.Analysis.PSweep;

/// <summary>Figure 5: mean validation error against p with the confidence intervals as error bars, the best p marked.</summary>
public static class PSweepPlot
{
    /// <summary>Renders <paramref name="result"/> to a PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, PSweepResult result)
    {
        var plt = new Plot();
        var ps = result.Points.Select(x => x.P).ToArray();
        var means = result.Points.Select(x => 100 * x.ValidationError.Mean).ToArray();
        var o = result.Options;
        Plots.MeansWithErrorBars(plt, ps, means, result.Points.Select(x => 100 * x.ValidationError.HalfWidth).ToArray(),
            string.Create(CultureInfo.InvariantCulture, $"mean of {o.Runs} run{(o.Runs == 1 ? "" : "s")} ± {o.Confidence:P0} CI (t, {o.Runs - 1} d.f.)"));
        var best = result.Points.MinBy(x => x.ValidationError.Mean)!;
        var marker = plt.Add.ScatterPoints(new[] { best.P }, new[] { 100 * best.ValidationError.Mean }, Plots.Red);
        marker.MarkerShape = MarkerShape.OpenCircle;
        marker.MarkerSize = 18;
        marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"lowest mean: p = {best.P:0.###}");
        Plots.Save(plt, path, string.Create(CultureInfo.InvariantCulture, $"p-sweep: simple CNN on {result.DatasetTitle}, {o.Runs} runs per p"),
            string.Create(CultureInfo.InvariantCulture,
                $"keep probability p (1 = ReLU); {result.TrainImages} train / {result.ValidationImages} validation images, {o.Epochs} epochs, no augmentation"),
            "validation error (%)", Alignment.UpperRight);
    }
}
