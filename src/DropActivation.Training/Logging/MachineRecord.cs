using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DropActivation.Training.Logging;

/// <summary>
/// Which machine and which build trained a run: one line of the run folder's <c>machine.jsonl</c> per start
/// or resume. oneDNN picks different kernels on AVX2-only and AVX-512 (bf16) CPUs, so a run's last digits
/// depend on the CPU; a run resumed on another machine has one line for each.
/// </summary>
public sealed record MachineRecord
{
    /// <summary>When the run started or resumed (UTC, ISO 8601).</summary>
    [JsonPropertyName("utc")] public required string Utc { get; init; }

    /// <summary>The epoch the run started from (0 for a fresh run).</summary>
    [JsonPropertyName("from_epoch")] public required int FromEpoch { get; init; }

    /// <summary>Host name.</summary>
    [JsonPropertyName("host")] public required string Host { get; init; }

    /// <summary>The CPU's model name (<c>/proc/cpuinfo</c>), or the process architecture where that file is absent.</summary>
    [JsonPropertyName("cpu_model")] public required string CpuModel { get; init; }

    /// <summary>The CPU has AVX2.</summary>
    [JsonPropertyName("avx2")] public required bool Avx2 { get; init; }

    /// <summary>The CPU has AVX-512 F.</summary>
    [JsonPropertyName("avx512f")] public required bool Avx512F { get; init; }

    /// <summary>The CPU computes bfloat16 dot products natively (AVX512_BF16).</summary>
    [JsonPropertyName("avx512_bf16")] public required bool Avx512Bf16 { get; init; }

    /// <summary>The CPU has AMX tiles for bfloat16 (AMX_BF16).</summary>
    [JsonPropertyName("amx_bf16")] public required bool AmxBf16 { get; init; }

    /// <summary>Logical processors the process sees.</summary>
    [JsonPropertyName("logical_cpus")] public required int LogicalCpus { get; init; }

    /// <summary>libtorch intra-op threads of the run.</summary>
    [JsonPropertyName("threads")] public required int Threads { get; init; }

    /// <summary>Operating system.</summary>
    [JsonPropertyName("os")] public required string Os { get; init; }

    /// <summary>.NET runtime version.</summary>
    [JsonPropertyName("dotnet")] public required string DotNet { get; init; }

    /// <summary>The training library's informational version, with the commit it was built from after '+' where the build knew it.</summary>
    [JsonPropertyName("build")] public required string Build { get; init; }

    /// <summary>TorchSharp's assembly version.</summary>
    [JsonPropertyName("torchsharp")] public required string TorchSharp { get; init; }

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>This process and machine, for a run with <paramref name="threads"/> threads starting from <paramref name="fromEpoch"/>.</summary>
    public static MachineRecord Current(int threads, int fromEpoch)
    {
        var cpu = DropActivation.Runtime.CpuFeatures.Current;
        return new MachineRecord
        {
            Utc = DateTime.UtcNow.ToString("O"), FromEpoch = fromEpoch, Host = Environment.MachineName,
            CpuModel = cpu.Model, Avx2 = cpu.Avx2, Avx512F = cpu.Avx512F, Avx512Bf16 = cpu.Avx512Bf16, AmxBf16 = cpu.AmxBf16,
            LogicalCpus = Environment.ProcessorCount, Threads = threads,
            Os = RuntimeInformation.OSDescription, DotNet = Environment.Version.ToString(),
            Build = InformationalVersion(typeof(MachineRecord).Assembly),
            TorchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?",
        };
    }

    /// <summary>Appends <paramref name="record"/> as one line to <paramref name="path"/>.</summary>
    public static void Append(string path, MachineRecord record) =>
        File.AppendAllLines(path, [JsonSerializer.Serialize(record, Compact)]);

    /// <summary>Reads every line of a <c>machine.jsonl</c>; an absent file (runs made before it existed) gives none.</summary>
    /// <exception cref="InvalidDataException">A line that is not a machine record (names the file and line).</exception>
    public static IReadOnlyList<MachineRecord> ReadAll(string path)
    {
        if (!File.Exists(path)) return [];
        var records = new List<MachineRecord>();
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (line.Trim().Length == 0) continue;
            try { records.Add(JsonSerializer.Deserialize<MachineRecord>(line) ?? throw new JsonException("null")); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{n}: not a machine record ({e.Message})", e); }
        }
        return records;
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "?";
}
