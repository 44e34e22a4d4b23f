using System.CommandLine;
using System.Text.Json;
using TorchSharp;

namespace DropActivation.Cli.Commands;

/// <summary><c>dropact info</c>: versions, native backend, threads, devices, the fast kernel, the CPU's AVX-512 and the allocator setting, as text or JSON.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("info", "Show versions, the native libtorch backend, threads and available devices.") { json };
        command.SetAction(parse =>
        {
            var info = new Dictionary<string, object>
            {
                ["dropact"] = CliApp.Version,
                ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
                ["threads"] = torch.get_num_threads(),
                ["cuda_available"] = torch.cuda.is_available(),
                ["cuda_devices"] = torch.cuda.is_available() ? torch.cuda.device_count() : 0,
                ["processor_count"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["dotnet"] = Environment.Version.ToString(),
                ["native_kernel"] = DA.NativeKernelAvailable,
                ["avx512"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
                ["cpu"] = DropActivation.Runtime.CpuFeatures.Current.Model,
                ["avx512_bf16"] = DropActivation.Runtime.CpuFeatures.Current.Avx512Bf16,
                ["amx"] = DropActivation.Runtime.CpuFeatures.Current.AmxTile,
                // Whether 'train --precision bf16' (libtorch's CPU autocast) computes natively here; elsewhere it is refused.
                ["bf16_native"] = DropActivation.Runtime.CpuFeatures.Current.ComputesBFloat16Natively,
                // libtorch 2.10's oneDNN can die with SIGFPE in a strided 1×1 convolution's backward here (AVX-512
                // without AMX); model surgery and the zoo use StridedPointwiseConv2d instead.
                ["strided_1x1_backward_may_crash"] = DropActivation.Runtime.CpuFeatures.Current.StridedPointwiseBackwardMayCrash,
                // The C allocator (DropActivation.Runtime.NativeAllocator: tcmalloc when installed), and on
                // glibc whether it keeps freed memory (FreedMemory): the setting, and the behaviour checked.
                ["allocator"] = DropActivation.Runtime.NativeAllocator.Current,
                ["allocator_keeps_freed_memory"] = DropActivation.Runtime.NativeAllocator.KeepsFreedMemory,
                ["freed_memory_retained"] = DropActivation.Runtime.FreedMemory.IsRetained,
                ["freed_blocks_stay_in_heap"] = DropActivation.Runtime.FreedMemory.FreedBlocksStayInTheHeap(),
                // The managed heap's largest gen-0 budget (small in a restarted process: no page faults per step).
                ["gc_gen0_max_budget_bytes"] = DropActivation.Runtime.NativeAllocator.Gen0MaxBudget,
            };
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(info, CliOutput.Json));
            else
                foreach (var (k, v) in info) output.WriteLine($"{k,-16} {v}");
            return ExitCodes.Success;
        });
        return command;
    }
}
