using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>The comparison the issue asks for: outputs equal within 1e-4 relative.</summary>
internal static class Close
{
    /// <summary>max |actual − expected| / max |expected|, the error relative to the output's scale.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var a = actual.to(ScalarType.Float64);
        using var e = expected.to(ScalarType.Float64);
        double scale = e.abs().max().item<double>();
        double diff = (a - e).abs().max().item<double>();
        return diff / Math.Max(scale, 1e-12);
    }

    /// <summary>Fails unless the relative error is at most <paramref name="tolerance"/>.</summary>
    public static void Assert1e4(Tensor actual, Tensor expected, string what, double tolerance = 1e-4)
    {
        double err = RelativeError(actual, expected);
        Assert.True(err <= tolerance, $"{what}: relative error {err:E3} exceeds {tolerance:E0}");
    }
}
