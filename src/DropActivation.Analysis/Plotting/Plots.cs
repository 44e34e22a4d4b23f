using ScottPlot;

namespace DropActivation.Analysis.Plotting;

/// <summary>
/// The one plotting convention of the analyses: every analysis draws its figures in its own
/// <c>XxxPlot.cs</c> (RegressionPlot, TheoryPlot, DigitsPlot, PSweepPlot, ShiftRatioPlot, TimingPlot)
/// with this size, these colours, <see cref="Line"/> and <see cref="Save"/>: headless PNGs with ScottPlot.
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

    /// <summary>Writes the figure as a PNG of <see cref="Width"/> × <see cref="Height"/>, creating the folder.</summary>
    public static void Save(Plot plt, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plt.SavePng(path, Width, Height);
    }
}
