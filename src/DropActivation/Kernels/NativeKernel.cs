using System.Runtime.InteropServices;
using static TorchSharp.torch;

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
    private const int InterfaceVersion = 3;

    private static readonly Lazy<bool> Loaded = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the native library is present and speaks this interface version.</summary>
    public static bool Available => Loaded.Value;

    /// <summary>How many threads a native parallel loop would use (libtorch's setting when the runtime is shared).</summary>
    public static int Threads => dropact_native_threads();

    /// <summary>
    /// y = relu(x), and y = x at the dropped positions, over n elements in memory order (float32, float64 or
    /// bfloat16); returns how many of those hold x = ±0.
    /// </summary>
    public static long Forward(ScalarType dtype, void* x, void* y, long n, ulong seed, GeometricGaps gaps)
    {
        fixed (int* cell = gaps.CellTable)
        fixed (double* cdf = gaps.Cdf)
            return dtype switch
            {
                ScalarType.Float32 => dropact_relu_forward_f32(x, y, n, seed, cell, cdf, gaps.Cdf.Length),
                ScalarType.Float64 => dropact_relu_forward_f64(x, y, n, seed, cell, cdf, gaps.Cdf.Length),
                _ => dropact_relu_forward_bf16(x, y, n, seed, cell, cdf, gaps.Cdf.Length),
            };
    }

    /// <summary>gradIn = grad where y != 0, else 0, on libtorch's OpenMP threads.</summary>
    public static void Backward(ScalarType dtype, void* grad, void* y, void* gradIn, long n)
    {
        switch (dtype)
        {
            case ScalarType.Float32: dropact_relu_backward_f32(grad, y, gradIn, n); break;
            case ScalarType.Float64: dropact_relu_backward_f64(grad, y, gradIn, n); break;
            default: dropact_relu_backward_bf16(grad, y, gradIn, n); break;
        }
    }

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
    [DllImport(Library)] private static extern long dropact_relu_forward_f32(void* x, void* y, long n, ulong seed, int* cell, double* cdf, int length);
    [DllImport(Library)] private static extern long dropact_relu_forward_f64(void* x, void* y, long n, ulong seed, int* cell, double* cdf, int length);
    [DllImport(Library)] private static extern long dropact_relu_forward_bf16(void* x, void* y, long n, ulong seed, int* cell, double* cdf, int length);
    [DllImport(Library)] private static extern void dropact_relu_backward_f32(void* grad, void* y, void* gradIn, long n);
    [DllImport(Library)] private static extern void dropact_relu_backward_f64(void* grad, void* y, void* gradIn, long n);
    [DllImport(Library)] private static extern void dropact_relu_backward_bf16(void* grad, void* y, void* gradIn, long n);
}
