using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Precision;

/// <summary>
/// libtorch's autocast switches (<c>at::autocast</c>, thread-local), which TorchSharp 0.107 does not bind, called through
/// their exported C++ symbols (Itanium mangling: Linux and macOS builds of libtorch). Both enums are int8 (CPU = 0).
/// Resolved once, on first use; a libtorch without one of them gives an <see cref="EntryPointNotFoundException"/>
/// naming it.
/// </summary>
internal sealed unsafe class LibTorchAutocast
{
    private static readonly Lazy<LibTorchAutocast> Resolved = new(() => new LibTorchAutocast(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static LibTorchAutocast Api => Resolved.Value;

    public readonly delegate* unmanaged<sbyte, byte> IsEnabled;
    public readonly delegate* unmanaged<sbyte, byte, void> SetEnabled;
    public readonly delegate* unmanaged<sbyte, sbyte> GetDtype;
    public readonly delegate* unmanaged<sbyte, sbyte, void> SetDtype;
    public readonly delegate* unmanaged<int> IncrementNesting;
    public readonly delegate* unmanaged<int> DecrementNesting;
    public readonly delegate* unmanaged<void> ClearCache;

    private LibTorchAutocast()
    {
        InitializeDeviceType(DeviceType.CPU); // loads libtorch_cpu if nothing has yet
        var library = Open();
        IsEnabled = (delegate* unmanaged<sbyte, byte>)Export(library, "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", "is_autocast_enabled(c10::DeviceType)");
        SetEnabled = (delegate* unmanaged<sbyte, byte, void>)Export(library, "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", "set_autocast_enabled(c10::DeviceType, bool)");
        GetDtype = (delegate* unmanaged<sbyte, sbyte>)Export(library, "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", "get_autocast_dtype(c10::DeviceType)");
        SetDtype = (delegate* unmanaged<sbyte, sbyte, void>)Export(library, "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", "set_autocast_dtype(c10::DeviceType, c10::ScalarType)");
        IncrementNesting = (delegate* unmanaged<int>)Export(library, "_ZN2at8autocast17increment_nestingEv", "increment_nesting()");
        DecrementNesting = (delegate* unmanaged<int>)Export(library, "_ZN2at8autocast17decrement_nestingEv", "decrement_nesting()");
        ClearCache = (delegate* unmanaged<void>)Export(library, "_ZN2at8autocast11clear_cacheEv", "clear_cache()");
    }

    private static nint Open()
    {
        foreach (var name in new[] { "libtorch_cpu.so", "libtorch_cpu.dylib", "torch_cpu.dll" })
            if (NativeLibrary.TryLoad(name, out var handle)) return handle;
        throw new DllNotFoundException("libtorch_cpu is not loaded in this process: autocast needs libtorch's CPU library.");
    }

    private static nint Export(nint library, string symbol, string signature) =>
        NativeLibrary.TryGetExport(library, symbol, out var address) ? address
            : throw new EntryPointNotFoundException($"This libtorch does not export at::autocast::{signature} ({symbol}); autocast needs libtorch 2.4 or later built for Linux or macOS.");
}
