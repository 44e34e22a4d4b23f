namespace DropActivation.Runtime;

/// <summary>
/// The CPU this process runs on, as Linux describes it in <c>/proc/cpuinfo</c>: its model name and the instruction-set
/// flags that decide which kernels oneDNN picks (AVX2, AVX-512, AVX512_BF16, AMX). Elsewhere the model is the process
/// architecture and the flags come from .NET's intrinsics where it has them (AVX2, AVX-512 F), else are reported absent.
/// </summary>
public sealed record CpuFeatures(string Model, bool Avx2, bool Avx512F, bool Avx512Bf16, bool AmxTile, bool AmxBf16)
{
    /// <summary>The CPU of this process (read once).</summary>
    public static CpuFeatures Current { get; } = Read("/proc/cpuinfo");

    /// <summary>
    /// Whether libtorch 2.10's oneDNN can die with SIGFPE in the backward pass of a strided 1×1 convolution on this CPU:
    /// its AVX-512 brgemm path is taken on CPUs with AVX-512 and without AMX (see <see cref="Modules.StridedPointwiseConv2d"/>).
    /// </summary>
    public bool StridedPointwiseBackwardMayCrash => Avx512F && !AmxTile;

    /// <summary>
    /// Whether this CPU has bfloat16 arithmetic (AVX512_BF16 or AMX-BF16), which oneDNN uses for bf16 convolutions and
    /// matrix products: only then is <see cref="Precision.Autocast"/> to BFloat16 fast; elsewhere bf16 is emulated
    /// (a PreResNet-20 step measured 24× slower on an AVX2-only EPYC).
    /// </summary>
    public bool ComputesBFloat16Natively => Avx512Bf16 || AmxBf16;

    /// <summary>Reads a Linux cpuinfo file (the first processor's "model name" and "flags"); falls back as the type says when it is absent.</summary>
    public static CpuFeatures Read(string cpuinfoPath)
    {
        string? model = null;
        HashSet<string>? flags = null;
        if (File.Exists(cpuinfoPath))
            foreach (var line in File.ReadLines(cpuinfoPath))
            {
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (model is null && key == "model name") model = value;
                else if (flags is null && key == "flags") flags = [.. value.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
                if (model is not null && flags is not null) break;
            }
        return new CpuFeatures(
            model ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
            flags?.Contains("avx2") ?? System.Runtime.Intrinsics.X86.Avx2.IsSupported,
            flags?.Contains("avx512f") ?? System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            flags?.Contains("avx512_bf16") ?? false,
            flags?.Contains("amx_tile") ?? false,
            flags?.Contains("amx_bf16") ?? false);
    }
}
