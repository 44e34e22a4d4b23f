using DropActivation.Training.Logging;
using ScottPlot;

namespace DropActivation.Training.Reports;

/// <summary>
/// The paper's Figure 6 for a model on a data set: training error (dashed) and test (or validation)
/// error (solid) in percent against the epoch, one colour per activation, each the mean over its runs (seeds).
/// </summary>
public static class TrainingCurves
{
    private static readonly Dictionary<string, Color> Colours = new()
    {
        ["Baseline"] = Color.FromHex("#1f77b4"), ["RReLU"] = Color.FromHex("#ff7f0e"), ["Drop-Act"] = Color.FromHex("#2ca02c"),
    };

    // Further labels (a p-sweep has nine): the rest of the Category10 palette, then a dark blue.
    private static readonly string[] Extra = ["#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79"];

    /// <summary>Legend entries (two per activation) that still go inside the data area; more go beside it.</summary>
    public const int MaxEntriesInside = 6;

    /// <summary>Writes one PNG per (model, data set) into <paramref name="dir"/> as training-curves-MODEL-DATASET.png; returns the paths.</summary>
    public static IReadOnlyList<string> Write(IEnumerable<RunRecord> runs, string dir, int width = 900, int height = 560)
    {
        Directory.CreateDirectory(dir);
        var paths = new List<string>();
        foreach (var group in runs.GroupBy(r => (r.Options.Model, r.Options.Dataset)).OrderBy(g => g.Key.Model).ThenBy(g => g.Key.Dataset))
        {
            var plt = Figure(group.Key.Model, group.Key.Dataset, group.ToList());
            var path = Path.Combine(dir, $"training-curves-{group.Key.Model}-{group.Key.Dataset}.png");
            plt.SavePng(path, width, height);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>The figure for the runs of one model on one data set (what <see cref="Write"/> saves).</summary>
    public static Plot Figure(string model, string dataset, IReadOnlyList<RunRecord> runs)
    {
        var plt = new Plot();
        int extra = 0;
        // Runs that held out part of their training set report that validation error as their "test" error.
        string held = runs.All(r => r.Options.ValidationSplit is not null) ? "validation" : "test";
        foreach (var act in runs.GroupBy(r => ReportBuilder.Label(r.Options)).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var colour = Colours.TryGetValue(act.Key, out var c) ? c : Color.FromHex(Extra[extra++ % Extra.Length]);
            var (epochs, train, test) = Mean(act.Select(r => r.Metrics).ToList());
            var tr = plt.Add.Scatter(epochs, train, colour);
            tr.LinePattern = LinePattern.Dashed;
            tr.MarkerSize = 0;
            tr.LineWidth = 2;
            tr.LegendText = $"{act.Key} train";
            var te = plt.Add.Scatter(epochs, test, colour);
            te.MarkerSize = 5;
            te.LineWidth = 2;
            te.LegendText = $"{act.Key} {held} (n={act.Count()})";
        }
        plt.Title($"{model} on {dataset}: error per epoch (mean over seeds)");
        plt.XLabel("epoch");
        // Epochs are whole numbers: no 1.2, 1.4, … ticks on a short run.
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.YLabel("error (%)");
        // A few entries fit in the upper right corner (the curves fall from there); a p-sweep's 18 would
        // cover the curves' last epochs, so they go in a panel to the right of the data area.
        if (plt.GetPlottables().Count() > MaxEntriesInside) plt.ShowLegend(Edge.Right);
        else plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    /// <summary>
    /// Mean training and test error (%) per epoch over runs, for the epochs every run reached; the test error is NaN
    /// (a gap in the curve) at an epoch some run did not evaluate (--eval-every).
    /// </summary>
    public static (double[] Epochs, double[] Train, double[] Test) Mean(IReadOnlyList<IReadOnlyList<EpochMetrics>> runs)
    {
        int n = runs.Min(r => r.Count);
        var epochs = new double[n];
        var train = new double[n];
        var test = new double[n];
        for (int i = 0; i < n; i++)
        {
            epochs[i] = runs[0][i].Epoch;
            train[i] = 100 * runs.Average(r => r[i].TrainError);
            test[i] = runs.All(r => r[i].TestError is not null) ? 100 * runs.Average(r => r[i].TestError!.Value) : double.NaN;
        }
        return (epochs, train, test);
    }
}
