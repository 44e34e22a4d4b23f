using ScottPlot;

namespace DropActivation.Analysis.Plotting;

/// <summary>
/// The one plotting convention of the analyses: every analysis draws its figures in its own
/// <c>XxxPlot.cs</c> (RegressionPlot, TheoryPlot, DigitsPlot, PSweepPlot, ShiftRatioPlot, TimingPlot)
/// with this size, these colours, <see cref="Line"/> and <see cref="Save(Plot, string)"/>: headless PNGs with ScottPlot.
/// </summary>
public static class Plots
{
    /// <summary>Default figure size in pixels.</summary>
    public const int Width = 900, Height = 560;

    /// <summary>The shared colours; the paper's Figure 2 uses blue for the ground truth, orange for ReLU, green for Drop-Activation.</summary>
    public static readonly Color Blue = Color.FromHex("#1f77b4"), Orange = Color.FromHex("#ff7f0e"),
        Green = Color.FromHex("#2ca02c"), Red = Color.FromHex("#d62728"), Grey = Color.FromHex("#555555");

    /// <summary>A labelled line of the given colour and width.</summary>
    public static void Line(Plot plt, double[] xs, double[] ys, Color color, string label, float width)
    {
        var s = plt.Add.ScatterLine(xs, ys, color);
        s.LineWidth = width;
        s.LegendText = label;
    }

    /// <summary>Mean values with their confidence half-widths as error bars (a NaN half-width draws none), as one labelled series.</summary>
    public static void MeansWithErrorBars(Plot plt, double[] xs, double[] means, double[] halfWidths, string label)
    {
        var line = plt.Add.Scatter(xs, means, Blue);
        line.LineWidth = 2;
        line.MarkerSize = 8;
        line.LegendText = label;
        plt.Add.ErrorBar(xs, means, halfWidths.Select(h => double.IsNaN(h) ? 0 : h).ToArray()).Color = Blue;
    }

    /// <summary>Titles and labels the figure, shows its legend at <paramref name="legend"/> and writes it (<see cref="Save(Plot, string)"/>).</summary>
    public static void Save(Plot plt, string path, string title, string xLabel, string yLabel, Alignment legend)
    {
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        plt.ShowLegend(legend);
        Save(plt, path);
    }

    /// <summary>Writes the figure as a PNG of <see cref="Width"/> × <see cref="Height"/>, creating the folder.</summary>
    public static void Save(Plot plt, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plt.SavePng(path, Width, Height);
    }
}
