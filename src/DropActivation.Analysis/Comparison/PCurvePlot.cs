using System.Globalization;
using DropActivation.Analysis.Plotting;
using DropActivation.Analysis.Statistics;
using DropActivation.Training.Reports;
using ScottPlot;

namespace DropActivation.Analysis.Comparison;

/// <summary>
/// Figure 5 from training runs: for one model × data set with Drop-Activation runs at several p,
/// the mean error against p with its t confidence interval as error bars (<see cref="ConfidenceInterval"/>),
/// and the paper's choice p = 0.95 marked.
/// </summary>
public static class PCurvePlot
{
    /// <summary>The (model, data set) groups whose Drop-Activation rows span at least <paramref name="minPoints"/> values of p.</summary>
    public static IReadOnlyList<(string Model, string Dataset, IReadOnlyList<ReportRow> Rows)> Curves(IReadOnlyList<ReportRow> rows, int minPoints = 3) =>
        rows.Where(r => r.P is not null).GroupBy(r => (r.Model, r.Dataset))
            .Where(g => g.Select(r => r.P).Distinct().Count() >= minPoints)
            .Select(g => (g.Key.Model, g.Key.Dataset, (IReadOnlyList<ReportRow>)g.OrderBy(r => r.P).ToList()))
            .ToList();

    /// <summary>Renders one curve to a PNG at <paramref name="path"/>; <paramref name="errorName"/> labels the y axis (e.g. "validation error").</summary>
    public static void Save(string path, string model, string dataset, IReadOnlyList<ReportRow> rows, string errorName, double confidence = 0.95)
    {
        var plt = new Plot();
        var ps = rows.Select(r => r.P!.Value).ToArray();
        var intervals = rows.Select(r => ConfidenceInterval.Of(r.ErrorsPercent, confidence)).ToArray();
        var means = intervals.Select(ci => ci.Mean).ToArray();
        int minRuns = rows.Min(r => r.Runs), maxRuns = rows.Max(r => r.Runs);
        string runs = minRuns == maxRuns ? minRuns.ToString(CultureInfo.InvariantCulture) : $"{minRuns}–{maxRuns}";
        Plots.MeansWithErrorBars(plt, ps, means, intervals.Select(ci => ci.HalfWidth).ToArray(),
            string.Create(CultureInfo.InvariantCulture, $"mean of {runs} runs ± {confidence:P0} CI (t)"));
        var paper = plt.Add.VerticalLine(DA.DefaultP, 1.5f, Plots.Red);
        paper.LinePattern = LinePattern.Dashed;
        paper.LegendText = "p = 0.95 (the paper's choice)";
        Plots.Save(plt, path, $"{model} on {dataset}: Drop-Activation's p (1 = ReLU)", "keep probability p", $"{errorName} (%)", Alignment.UpperRight);
    }
}
