using System.Globalization;
using System.Text;
using DropActivation.Models.Registry;

namespace DropActivation.Training.Reports;

/// <summary>
/// Turns run folders into the paper's tables: runs grouped by (model, data set, activation, compute mode), test
/// error mean ± std in percent, as markdown (one row per model, Baseline / RReLU / Drop-Act columns per
/// data set, like Table 1) and CSV. Runs in another compute mode than fp32 NCHW (<see cref="ComputeMode"/>) get their
/// own column, "Baseline (bf16, channels-last)": runs of different modes are never pooled into one cell. The error of a run is its final-epoch test error by default (no
/// selection on the test set); <see cref="ErrorMetric.Best"/> takes the lowest epoch instead and <see cref="ErrorMetric.Train"/>
/// the last epoch's training error (<see cref="ErrorMetrics"/>).
/// </summary>
public static class ReportBuilder
{
    /// <summary>The paper's column name of an activation: Baseline (ReLU), RReLU, Drop-Act (Drop-Act p=… when p ≠ 0.95), else the name.</summary>
    public static string Label(string activation, double p) => ActivationFactory.Find(activation)?.ReportLabel(p) ?? activation;

    /// <summary>
    /// The column label of a run: its activation's <see cref="Label(string, double)"/>, and its compute mode in parentheses
    /// when that is not <see cref="ComputeMode.Standard"/> (fp32, NCHW), e.g. "Baseline (bf16, channels-last)".
    /// </summary>
    public static string Label(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = ComputeMode.Of(options);
        return Label(options.Activation, options.P) + (mode == ComputeMode.Standard ? "" : $" ({mode})");
    }

    // The activation's place (Baseline, RReLU, Drop-Act, others), whatever the mode in parentheses.
    private static int Order(string label) => label.Split(" (")[0] switch { "Baseline" => 0, "RReLU" => 1, _ when label.StartsWith("Drop-Act") => 2, _ => 3 };

    /// <summary>The table rows, ordered by model, data set and Baseline → RReLU → Drop-Act (by p).</summary>
    public static IReadOnlyList<ReportRow> Rows(IEnumerable<RunRecord> runs, ErrorMetric metric = ErrorMetric.Final) =>
        runs.GroupBy(r => (r.Options.Model, r.Options.Dataset, Label: Label(r.Options)))
            .Select(g =>
            {
                var errors = g.Select(r => 100 * ErrorMetrics.Of(r, metric)).ToArray();
                var first = g.First().Options;
                return new ReportRow(g.Key.Model, g.Key.Dataset, first.Activation, g.Key.Label, errors.Length,
                    errors.Average(), SampleStd(errors), g.Select(r => r.Options.Seed).ToArray(), errors)
                { P = ActivationFactory.Find(first.Activation)?.TakesP == true ? first.P : null, Mode = ComputeMode.Of(first) };
            })
            .OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Dataset, StringComparer.Ordinal)
            .ThenBy(r => Order(r.Label)).ThenBy(r => r.P ?? 0).ThenBy(r => r.Label, StringComparer.Ordinal)
            .ToList();

    /// <summary>Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.</summary>
    public static double SampleStd(IReadOnlyList<double> xs)
    {
        if (xs.Count < 2) return 0;
        double mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
    }

    /// <summary>
    /// The markdown table: rows are models, columns data set × activation, cells "mean±std" (%), the lowest
    /// mean per data set in bold. <paramref name="validation"/>: the runs' errors are on a held-out part of
    /// the training set (<c>--validation-split</c>), and the note says so.
    /// </summary>
    public static string Markdown(IReadOnlyList<ReportRow> rows, ErrorMetric metric = ErrorMetric.Final, bool validation = false)
    {
        var datasets = rows.Select(r => r.Dataset).Distinct().Order(StringComparer.Ordinal).ToList();
        var columns = datasets.SelectMany(d => rows.Where(r => r.Dataset == d).GroupBy(r => r.Label).Select(g => (Label: g.Key, P: g.First().P ?? 0))
            .OrderBy(c => Order(c.Label)).ThenBy(c => c.P).ThenBy(c => c.Label, StringComparer.Ordinal).Select(c => (Dataset: d, c.Label))).ToList();
        var sb = new StringBuilder();
        sb.Append("| Model |");
        foreach (var (d, l) in columns) sb.Append($" {d} {l} |");
        sb.AppendLine();
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", columns.Count))).AppendLine();
        foreach (var model in rows.Select(r => r.Model).Distinct())
        {
            sb.Append($"| {model} |");
            foreach (var (d, l) in columns)
            {
                var cell = rows.FirstOrDefault(r => r.Model == model && r.Dataset == d && r.Label == l);
                if (cell is null) { sb.Append(" - |"); continue; }
                double bestMean = rows.Where(r => r.Model == model && r.Dataset == d).Min(r => r.MeanPercent);
                var text = Cell(cell);
                sb.Append(cell.MeanPercent == bestMean && rows.Count(r => r.Model == model && r.Dataset == d) > 1 ? $" **{text}** |" : $" {text} |");
            }
            sb.AppendLine();
        }
        int minRuns = rows.Count == 0 ? 0 : rows.Min(r => r.Runs), maxRuns = rows.Count == 0 ? 0 : rows.Max(r => r.Runs);
        sb.AppendLine();
        var name = ErrorMetrics.ErrorName(metric, validation);
        sb.AppendLine($"{char.ToUpperInvariant(name[0])}{name[1..]} (%), {ErrorMetrics.Epoch(metric)}, mean ± sample std over " +
                      $"{(minRuns == maxRuns ? minRuns.ToString(CultureInfo.InvariantCulture) : $"{minRuns}–{maxRuns}")} run(s) per cell.");
        return sb.ToString();
    }

    /// <summary>
    /// One line per cell: model, dataset, activation, label, runs, mean and std (%; empty for one run), seeds and the individual
    /// errors; the error columns say "train_error" for <see cref="ErrorMetric.Train"/> and "test_error" otherwise.
    /// </summary>
    public static string Csv(IReadOnlyList<ReportRow> rows, ErrorMetric metric = ErrorMetric.Final)
    {
        string error = metric == ErrorMetric.Train ? "train_error" : "test_error";
        var sb = new StringBuilder($"model,dataset,activation,label,runs,mean_{error}_pct,std_{error}_pct,seeds,{error}s_pct\n");
        foreach (var r in rows)
            sb.Append(string.Join(",", r.Model, r.Dataset, r.Activation, r.Label, r.Runs.ToString(CultureInfo.InvariantCulture),
                F(r.MeanPercent, "0.####"), r.Runs < 2 ? "" : F(r.StdPercent, "0.####"), string.Join(";", r.Seeds),
                string.Join(";", r.ErrorsPercent.Select(e => F(e, "0.####"))))).Append('\n');
        return sb.ToString();
    }

    // One run has no spread to show: "18.02 (n=1)", not "18.02±0.00".
    private static string Cell(ReportRow r) =>
        r.Runs < 2 ? $"{F(r.MeanPercent, "0.00")} (n=1)" : $"{F(r.MeanPercent, "0.00")}±{F(r.StdPercent, "0.00")}";

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
