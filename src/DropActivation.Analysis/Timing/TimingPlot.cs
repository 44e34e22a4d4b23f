using System.Globalization;
using DropActivation.Analysis.Plotting;
using ScottPlot;

namespace DropActivation.Analysis.Timing;

/// <summary>Table 5 as a bar chart: median ms per training batch per variant (IQR as error bars), ratio to ReLU above each bar.</summary>
public static class TimingPlot
{
    private static readonly Color[] Palette =
        { Color.FromHex("#ff7f0e"), Color.FromHex("#7f7f7f"), Color.FromHex("#2ca02c"), Color.FromHex("#98df8a") };

    /// <summary>Renders <paramref name="result"/> to a PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, TimingResult result)
    {
        var plt = new Plot();
        var rows = result.Rows;
        var bars = rows.Select((r, i) => new Bar
        {
            Position = i, Value = r.MedianMs, Error = r.IqrMs / 2, FillColor = Palette[i % Palette.Length],
        }).ToArray();
        plt.Add.Bars(bars);
        double top = rows.Max(r => r.MedianMs + r.IqrMs / 2);
        for (int i = 0; i < rows.Count; i++)
        {
            var t = plt.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{rows[i].MedianMs:0.#} ms  ×{rows[i].RatioToRelu:0.00}"),
                i, rows[i].MedianMs + rows[i].IqrMs / 2 + 0.03 * top);
            t.LabelFontSize = 14;
            t.LabelAlignment = Alignment.LowerCenter;
        }
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(), rows.Select(r => r.Label).ToArray());
        plt.Axes.SetLimits(-0.6, rows.Count - 0.4, 0, top * 1.18);
        var o = result.Options;
        plt.Title(string.Create(CultureInfo.InvariantCulture, $"Training time per batch: {o.Model}, batch {o.BatchSize}×{string.Join("×", result.InputShape)}"));
        plt.XLabel(string.Create(CultureInfo.InvariantCulture, $"{result.Threads} thread(s), median of {o.Repeats} interleaved repeats after {o.Warmup} warm-up"));
        plt.YLabel("ms per batch (median, IQR bars)");
        Plots.Save(plt, path);
    }
}
