using System.Globalization;
using DropActivation.Analysis.Plotting;
using DropActivation.Models.Registry;
using ScottPlot;

namespace DropActivation.Analysis.ShiftRatio;

/// <summary>Figure 4: the shift ratio per epoch, one line per activation, with Property 2's closed form and 1 as references.</summary>
public static class ShiftRatioPlot
{
    private static readonly Color[] Palette =
        { Color.FromHex("#2ca02c"), Color.FromHex("#ff7f0e"), Color.FromHex("#9467bd"), Color.FromHex("#1f77b4"), Color.FromHex("#8c564b") };

    /// <summary>Renders <paramref name="result"/> to a PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, ShiftRatioResult result)
    {
        var plt = new Plot();
        var o = result.Options;
        int i = 0;
        foreach (var group in result.Epochs.GroupBy(e => e.Activation))
        {
            var rows = group.OrderBy(e => e.Epoch).ToArray();
            var s = plt.Add.Scatter(rows.Select(e => (double)e.Epoch).ToArray(), rows.Select(e => e.Ratio).ToArray(), Palette[i++ % Palette.Length]);
            s.LineWidth = 2;
            s.MarkerSize = 6;
            s.LegendText = (ActivationFactory.Find(group.Key)?.Label(o.P, " = ") ?? group.Key) + (o.Dropout is > 0 ? string.Create(CultureInfo.InvariantCulture, $" + Dropout {o.Dropout:0.##}") : "");
        }
        var closed = plt.Add.HorizontalLine(result.ClosedForm, 1.5f, Plots.Red, LinePattern.Dashed);
        closed.LegendText = string.Create(CultureInfo.InvariantCulture, $"Property 2 at p = {o.P:0.###}: {result.ClosedForm:0.0000}");
        var one = plt.Add.HorizontalLine(1.0, 1f, Plots.Grey, LinePattern.Dotted);
        one.LegendText = "no shift (1)";
        Plots.Save(plt, path, string.Create(CultureInfo.InvariantCulture, $"Shift ratio of {o.Model}, output of stage '{result.Stage}'"),
            string.Create(CultureInfo.InvariantCulture,
                $"epoch (0: initialisation); {result.DatasetTitle}, {result.TrainImages} training images, probe of {Math.Min(o.ProbeImages, result.TrainImages)} × {o.ProbeDraws} draws"),
            "shift ratio (channel-averaged variances)", Alignment.LowerRight);
    }
}
