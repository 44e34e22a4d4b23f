namespace DropActivation.Analysis.Statistics;

/// <summary>Mean and sample standard deviation of a few repeated measurements (seeds).</summary>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    /// <summary>Mean and sample standard deviation (N − 1; 0 for one value; NaN for none) of <paramref name="values"/>.</summary>
    public static MeanStd Of(IEnumerable<double> values)
    {
        var a = values.ToArray();
        if (a.Length == 0) return new MeanStd(double.NaN, double.NaN, 0);
        double m = a.Average();
        double s = a.Length > 1 ? Math.Sqrt(a.Sum(v => (v - m) * (v - m)) / (a.Length - 1)) : 0.0;
        return new MeanStd(m, s, a.Length);
    }

    /// <summary>"m ± s" with the given number format.</summary>
    public string Format(string format = "G4") => $"{Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ± {Std.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}";
}
