using System.Globalization;

namespace DropActivation.Sweeps.Specs;

/// <summary>How numbers appear in run ids and train arguments (culture-invariant, stable).</summary>
internal static class Format
{
    /// <summary>A keep probability: two decimals at least ("0.60", "0.95", "1.00"), up to six.</summary>
    public static string P(double p) => p.ToString("0.00####", CultureInfo.InvariantCulture);

    /// <summary>An integer.</summary>
    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);
}
