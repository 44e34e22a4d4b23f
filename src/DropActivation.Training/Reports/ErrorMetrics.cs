namespace DropActivation.Training.Reports;

/// <summary>
/// The one home of <see cref="ErrorMetric"/>'s facts: its name on the command line (<c>--metric final|best|train</c>),
/// how a run's error is read for it and how a report describes it.
/// </summary>
public static class ErrorMetrics
{
    private static readonly (ErrorMetric Metric, string Name, string Help)[] Known =
    [
        (ErrorMetric.Final, "final", "the last epoch's test error (the default)"),
        (ErrorMetric.Best, "best", "the lowest test error of any epoch"),
        (ErrorMetric.Train, "train", "the last epoch's training error"),
    ];

    /// <summary>The command-line names, in order: "final, best, train".</summary>
    public static string Names => string.Join(", ", Known.Select(k => k.Name));

    /// <summary>The <c>--metric</c> option's description, naming every metric.</summary>
    public static string OptionHelp => string.Join("; ", Known.Select(k => $"{k.Name}: {k.Help}")) + ".";

    /// <summary>The command-line name of <paramref name="metric"/>.</summary>
    public static string Name(ErrorMetric metric) => Known.Single(k => k.Metric == metric).Name;

    /// <summary>The metric named <paramref name="name"/> (case-insensitive), or null for an unknown name.</summary>
    public static ErrorMetric? Parse(string name)
    {
        foreach (var (metric, known, _) in Known)
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) return metric;
        return null;
    }

    /// <summary>The run's error (a fraction) by <paramref name="metric"/>.</summary>
    public static double Of(RunRecord run, ErrorMetric metric)
    {
        ArgumentNullException.ThrowIfNull(run);
        return metric switch
        {
            ErrorMetric.Final => run.FinalTestError,
            ErrorMetric.Best => run.BestTestError,
            ErrorMetric.Train => run.FinalTrainError,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        };
    }

    /// <summary>
    /// What the numbers are, lower case, e.g. "validation error, best epoch" or "training error, final epoch";
    /// <paramref name="validation"/>: the runs were evaluated on a held-out part of the training set.
    /// </summary>
    public static string Describe(ErrorMetric metric, bool validation) => $"{ErrorName(metric, validation)}, {Epoch(metric)}";

    /// <summary>Which epoch the error comes from: "best epoch" or "final epoch".</summary>
    public static string Epoch(ErrorMetric metric) => metric == ErrorMetric.Best ? "best epoch" : "final epoch";

    /// <summary>The error's name alone: "test error", "validation error" or "training error".</summary>
    public static string ErrorName(ErrorMetric metric, bool validation) =>
        metric == ErrorMetric.Train ? "training error" : validation ? "validation error" : "test error";
}
