using DropActivation.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Tests;

/// <summary>
/// The native kernel (Native/dropact_native.c, on libtorch's OpenMP threads) against the managed
/// one: the same masks, outputs, recorded positions and gradients, bit for bit. These need the
/// native library (trait NativeKernel); the rest of the suite also runs in a build without it
/// (<c>-p:DropActivationNativeKernel=false</c>, as .ci/run does in a second, small run).
/// </summary>
[Trait("Category", "NativeKernel")]
public class NativeKernelTests
{
    [Fact]
    public void The_native_kernel_is_built_and_loads()
    {
        Assert.True(NativeKernel.Available,
            "libdropact_native.so did not load: the build compiles it with gcc (see docs/layer.md, 'The fast CPU kernel'); without it the managed kernel runs");
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1, 0.95)]
    [InlineData(ScalarType.Float32, 1000, 0.5)]
    [InlineData(ScalarType.Float32, 65_536, 0.95)]
    [InlineData(ScalarType.Float32, 65_537, 0.8)]
    [InlineData(ScalarType.Float32, 1_000_003, 0.95)]
    [InlineData(ScalarType.Float64, 300_001, 0.9)]
    [InlineData(ScalarType.Float64, 65_536 * 3, 0.99)]
    [InlineData(ScalarType.BFloat16, 65_537, 0.8)]
    [InlineData(ScalarType.BFloat16, 1_000_003, 0.95)]
    public void Native_and_managed_kernels_agree_bit_for_bit(ScalarType dtype, int n, double p)
    {
        Assert.True(NativeKernel.Available, "native kernel missing");
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(n);
        var x = torch.randn(n, dtype: dtype);
        // Exact zeros (+0 and -0), NaN and -inf, spread over the blocks.
        if (n >= 1000)
        {
            var every = torch.arange(0, n, 97, dtype: ScalarType.Int64);
            x.index_put_(torch.zeros(every.shape[0], dtype: dtype), every);
            x.index_put_(torch.full(new long[] { 1 }, -0.0, dtype: dtype), torch.tensor(new long[] { 5 }));
            x.index_put_(torch.full(new long[] { 1 }, double.NaN, dtype: dtype), torch.tensor(new long[] { 7 }));
            x.index_put_(torch.full(new long[] { 1 }, double.NegativeInfinity, dtype: dtype), torch.tensor(new long[] { 11 }));
        }
        const ulong seed = 0x5EED;

        var yNative = ReluDropActCpuKernel.Forward(x, p, seed, record: true, allowNative: true, out var droppedNative);
        var yManaged = ReluDropActCpuKernel.Forward(x, p, seed, record: true, allowNative: false, out var droppedManaged);
        Assert.True(BitsEqual(yNative, yManaged), "outputs differ between the native and managed kernels" + Diff(x, yNative, yManaged));
        Assert.Equal(Positions(droppedManaged!), Positions(droppedNative!));

        // Both agree with the mask the seed gives: y = x where dropped, relu(x) where kept.
        var keep = ReluDropActCpuKernel.KeepMask(x.shape, p, seed);
        var expected = torch.where(keep.logical_and(x.isnan().logical_not()), nn.functional.relu(x), x); // NaN keeps its bits
        Assert.True(BitsEqual(yNative, expected), "output is not relu where kept and x where dropped");
        if (n >= 1000)
            Assert.True(droppedNative!.Total > 0, "no dropped exact zero: the recording path went untested");

        var g = torch.randn(n, dtype: dtype);
        var gNative = ReluDropActCpuKernel.Backward(g, yNative, droppedNative!, allowNative: true);
        var gManaged = ReluDropActCpuKernel.Backward(g, yManaged, droppedManaged!, allowNative: false);
        Assert.True(BitsEqual(gNative, gManaged), "gradients differ between the native and managed kernels" + Diff(yNative, gNative, gManaged));
        // The gradient passes where x > 0 or dropped (x = ±0 and NaN included), else it is 0.
        var passes = keep.logical_not().logical_or(x.gt(0)).logical_or(x.isnan());
        Assert.True(BitsEqual(gNative, torch.where(passes, g, torch.zeros_like(g))), "gradient mask is wrong");
        droppedNative!.Release();
        droppedManaged!.Release();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.BFloat16)]
    public void Native_and_managed_kernels_agree_on_channels_last_and_keep_its_strides(ScalarType dtype)
    {
        Assert.True(NativeKernel.Available, "native kernel missing");
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(8);
        var x = Layout.ChannelsLast.ToChannelsLast(torch.randn(8, 16, 33, 35).to_type(dtype));
        x[.., 0] = torch.zeros(8, 33, 35, dtype: dtype);
        var g = torch.randn(8, 16, 33, 35).to_type(dtype);
        var yNative = ReluDropActCpuKernel.Forward(x, 0.9, 5, record: true, allowNative: true, out var droppedNative);
        var yManaged = ReluDropActCpuKernel.Forward(x, 0.9, 5, record: true, allowNative: false, out var droppedManaged);
        var gNative = ReluDropActCpuKernel.Backward(g, yNative, droppedNative!, allowNative: true);
        var gManaged = ReluDropActCpuKernel.Backward(g, yManaged, droppedManaged!, allowNative: false);
        Assert.True(droppedNative!.Total > 0);
        Assert.True(BitsEqual(yNative, yManaged) && BitsEqual(gNative, gManaged), "the native and managed kernels differ on channels-last " + dtype);
        Assert.All(new[] { yNative, yManaged, gNative, gManaged }, t => Assert.Equal(x.stride(), t.stride()));
        droppedNative.Release();
        droppedManaged!.Release();
    }

    [Fact]
    public void The_native_loop_runs_on_libtorchs_threads_and_masks_do_not_depend_on_them()
    {
        Assert.True(NativeKernel.Available, "native kernel missing");
        using var scope = torch.NewDisposeScope();
        int threads = torch.get_num_threads();
        try
        {
            var x = torch.randn(700_000);
            var gomp = File.ReadLines("/proc/self/maps").Where(l => l.Contains("gomp")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()).Distinct().ToList();
            Assert.True(gomp.Count == 1, "OpenMP runtimes mapped: " + string.Join(", ", gomp));
            torch.set_num_threads(1);
            // One OpenMP runtime shared with libtorch: its thread setting is the kernel's.
            Assert.Equal(1, NativeKernel.Threads);
            var one = ReluDropActCpuKernel.Forward(x, 0.9, 77, record: false, allowNative: true, out _);
            torch.set_num_threads(2);
            Assert.Equal(2, NativeKernel.Threads);
            var two = ReluDropActCpuKernel.Forward(x, 0.9, 77, record: false, allowNative: true, out _);
            Assert.True(BitsEqual(one, two), "the mask depends on the number of threads");
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>Equal raw bytes, so NaN equals itself and -0 differs from +0.</summary>
    private static bool BitsEqual(Tensor a, Tensor b)
    {
        using var ca = a.contiguous();
        using var cb = b.contiguous();
        return a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && ca.bytes.SequenceEqual(cb.bytes);
    }

    private static string Diff(Tensor x, Tensor a, Tensor b)
    {
        var ad = a.to_type(ScalarType.Float64).data<double>().ToArray();
        var bd = b.to_type(ScalarType.Float64).data<double>().ToArray();
        var xd = x.to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < ad.Length; i++)
            if (BitConverter.DoubleToInt64Bits(ad[i]) != BitConverter.DoubleToInt64Bits(bd[i]))
                return $" at {i}: x={xd[i]:R} a={ad[i]:R} b={bd[i]:R}";
        return " (no element differs)";
    }

    private static int[] Positions(DroppedPositions d) =>
        d.Segments.SelectMany((list, s) => list.Take(d.Counts[s])).OrderBy(i => i).ToArray();
}

/// <summary>
/// What the build decided about the native kernel is what runs: built, it loads; opted out with
/// -p:DropActivationNativeKernel=false, the managed kernel runs; built without gcc (a warning at build
/// time), the managed kernel runs too, except under CI, where .ci/run installs gcc and a missing
/// native library is a failure.
/// </summary>
public class KernelChoiceTests
{
    [Fact]
    public void The_kernel_in_use_is_the_one_the_build_chose()
    {
        var setting = typeof(KernelChoiceTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "DropActivationNativeKernel").Value;
        bool shipped = File.Exists(Path.Combine(AppContext.BaseDirectory, "libdropact_native.so"));
        if (setting == "false")
        {
            Assert.False(shipped, "the build was told not to build the native kernel, yet libdropact_native.so is in the output");
            Assert.False(NativeKernel.Available);
        }
        else if (shipped)
        {
            Assert.True(NativeKernel.Available, "libdropact_native.so is in the output but does not load");
        }
        else
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true",
                "CI built without the native kernel: gcc is missing (.ci/run installs it)");
            Assert.False(NativeKernel.Available);
        }

        // Whichever kernel it is, the layer's fast path works and is exact.
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1000).requires_grad_(true);
        var y = DA.functional.drop_act(x, 0.9, backend: DropActivation.Modules.DropActBackend.Fast);
        y.sum().backward();
        var slope = y.detach() / x.detach();
        Assert.True(x.grad!.allclose(slope));
        Assert.True(slope.eq(0).logical_or(slope.eq(1)).all().item<bool>());
    }
}
