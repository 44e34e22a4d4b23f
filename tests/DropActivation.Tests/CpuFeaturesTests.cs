using DropActivation.Runtime;

namespace DropActivation.Tests;

public class CpuFeaturesTests
{
    private static CpuFeatures Parse(string text)
    {
        var path = Path.Combine(RealData.NewTempDir("dropact-cpu-tests"), "cpuinfo");
        File.WriteAllText(path, text);
        return CpuFeatures.Read(path);
    }

    [Fact]
    public void Cpuinfo_gives_the_first_processors_model_and_flags()
    {
        var avx2 = Parse("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B12\nflags\t\t: fpu sse2 avx avx2 fma\n\n" +
                         "processor\t: 1\nmodel name\t: other\nflags\t\t: avx512f amx_tile\n");
        Assert.Equal(new CpuFeatures("AMD EPYC 7B12", true, false, false, false, false), avx2);
        Assert.False(avx2.StridedPointwiseBackwardMayCrash || avx2.ComputesBFloat16Natively);

        var bf16 = Parse("model name\t: AMD EPYC\nflags\t\t: avx2 avx512f avx512_bf16 avx512bw\n");
        Assert.Equal(new CpuFeatures("AMD EPYC", true, true, true, false, false), bf16);
        Assert.True(bf16.StridedPointwiseBackwardMayCrash);      // AVX-512 without AMX: oneDNN's brgemm 1×1 path
        Assert.True(bf16.ComputesBFloat16Natively);

        var amx = Parse("model name\t: Intel Xeon Platinum 8480+\nflags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n");
        Assert.True(amx.AmxTile && amx.AmxBf16 && amx.ComputesBFloat16Natively);
        Assert.False(amx.StridedPointwiseBackwardMayCrash);
    }

    [Fact]
    public void Without_a_cpuinfo_file_the_flags_come_from_dotnets_intrinsics()
    {
        var none = CpuFeatures.Read(Path.Combine(RealData.NewTempDir("dropact-cpu-tests"), "absent"));
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), none.Model);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, none.Avx512F);
        Assert.False(none.Avx512Bf16 || none.AmxTile || none.AmxBf16);
    }
}
