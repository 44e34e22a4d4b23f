using System.Runtime.InteropServices;

namespace DropActivation.Kernels;

/// <summary>
/// The native part of the fast ReLU kernel (<c>Native/dropact_native.c</c>, built by gcc with the
/// project where a C compiler is there): the fused ReLU-and-drop pass and the masked backward as
/// parallel loops on libtorch's own OpenMP threads (it calls the GOMP_parallel of the libgomp that
/// libtorch loaded). Where the library is missing or of another interface version, the managed
/// kernel does the same work (same masks, same bits) with libtorch's relu and one C# thread.
/// </summary>
internal static unsafe class NativeKernel
{
    private const string Library = "dropact_native";
    private const int InterfaceVersion = 2;

    private static readonly Lazy<bool> Loaded = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the native library is present and speaks this interface version.</summary>
    public static bool Available => Loaded.Value;

    /// <summary>How many threads a native parallel loop would use (libtorch's setting when the runtime is shared).</summary>
    public static int Threads => dropact_native_threads();

    /// <summary>y = relu(x), and y = x at the dropped positions; returns how many of those hold x = ±0.</summary>
    public static long Forward(float* x, float* y, long n, ulong seed, GeometricGaps gaps)
    {
        fixed (int* cell = gaps.CellTable)
        fixed (double* cdf = gaps.Cdf)
            return dropact_relu_forward_f32(x, y, n, seed, cell, cdf, gaps.Cdf.Length);
    }

    /// <inheritdoc cref="Forward(float*, float*, long, ulong, GeometricGaps)"/>
    public static long Forward(double* x, double* y, long n, ulong seed, GeometricGaps gaps)
    {
        fixed (int* cell = gaps.CellTable)
        fixed (double* cdf = gaps.Cdf)
            return dropact_relu_forward_f64(x, y, n, seed, cell, cdf, gaps.Cdf.Length);
    }

    /// <summary>gradIn = grad where y != 0, else 0, on libtorch's OpenMP threads.</summary>
    public static void Backward(float* grad, float* y, float* gradIn, long n) => dropact_relu_backward_f32(grad, y, gradIn, n);

    /// <inheritdoc cref="Backward(float*, float*, float*, long)"/>
    public static void Backward(double* grad, double* y, double* gradIn, long n) => dropact_relu_backward_f64(grad, y, gradIn, n);

    private static bool Probe()
    {
        try
        {
            return dropact_native_version() == InterfaceVersion;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    [DllImport(Library)] private static extern int dropact_native_version();
    [DllImport(Library)] private static extern int dropact_native_threads();
    [DllImport(Library)] private static extern long dropact_relu_forward_f32(float* x, float* y, long n, ulong seed, int* cell, double* cdf, int length);
    [DllImport(Library)] private static extern long dropact_relu_forward_f64(double* x, double* y, long n, ulong seed, int* cell, double* cdf, int length);
    [DllImport(Library)] private static extern void dropact_relu_backward_f32(float* grad, float* y, float* gradIn, long n);
    [DllImport(Library)] private static extern void dropact_relu_backward_f64(double* grad, double* y, double* gradIn, long n);
}
