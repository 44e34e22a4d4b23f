using DropActivation.Analysis.Plotting;
using ScottPlot;

namespace DropActivation.Analysis.Digits;

/// <summary>The digits comparison's test-error curves as a PNG, in the shared style of <see cref="Plots"/>.</summary>
public static class DigitsPlot
{
    /// <summary>File name of the figure in an output folder.</summary>
    public const string File = "digits-test-error.png";

    /// <summary>Digits: test error per epoch, mean over seeds, one line per activation.</summary>
    public static void Save(string path, DigitsResult r)
    {
        var plt = new Plot();
        var colors = new[] { Plots.Orange, Plots.Grey, Plots.Green };
        int ci = 0;
        foreach (var a in r.Activations)
        {
            var curve = r.MeanCurve(a.Kind);
            var xs = Enumerable.Range(1, curve.Length).Select(i => (double)i).ToArray();
            Plots.Line(plt, xs, curve.Select(e => 100 * e).ToArray(), colors[ci++ % colors.Length],
                $"{a.Label}: final {100 * a.FinalTestError.Mean:0.00} ± {100 * a.FinalTestError.Std:0.00} %", 2f);
        }
        Plots.Save(plt, path, $"Optical digits: test error ({r.Options.Seeds} seeds, mean)", "epoch", "test error (%)", Alignment.UpperRight);
    }
}
