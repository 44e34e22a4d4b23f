using System.Text.Json.Serialization;

namespace DropActivation.Analysis.Regression;

/// <summary>A ground-truth function of the regression demo (Figure 2), its domain and noise level.</summary>
/// <param name="Name">Short identifier used in file names ("xsinx", "piecewise").</param>
/// <param name="Title">Title for plots and tables.</param>
/// <param name="F">The function.</param>
/// <param name="XMin">Left end of the domain.</param>
/// <param name="XMax">Right end of the domain.</param>
/// <param name="NoiseStd">Standard deviation of the Gaussian noise added to training targets.</param>
public sealed record TargetFunction(string Name, string Title, [property: JsonIgnore] Func<double, double> F, double XMin, double XMax, double NoiseStd)
{
    /// <summary>Figure 2a: x·sin x on [−5, 5], noise σ = 0.5.</summary>
    public static TargetFunction XSinX { get; } = new("xsinx", "x·sin x", x => x * Math.Sin(x), -5, 5, 0.5);

    /// <summary>Figure 2b: a piecewise-constant function with four jumps on [−5, 5], noise σ = 0.3.</summary>
    public static TargetFunction PiecewiseConstant { get; } = new("piecewise", "piecewise constant", Piecewise, -5, 5, 0.3);

    /// <summary>Both functions of Figure 2.</summary>
    public static IReadOnlyList<TargetFunction> Figure2 { get; } = new[] { XSinX, PiecewiseConstant };

    private static double Piecewise(double x) => x switch
    {
        < -3.0 => 1.0,
        < -1.0 => -1.0,
        < 1.5 => 2.0,
        < 3.5 => 0.0,
        _ => -1.5,
    };
}
