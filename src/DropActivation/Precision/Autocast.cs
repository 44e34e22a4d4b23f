using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Precision;

/// <summary>
/// Mixed precision on the CPU, as <c>torch.autocast("cpu", dtype)</c> (TorchSharp 0.107 has none): while the scope is
/// open on a thread, libtorch runs the ops of its CPU lower-precision list in <see cref="DType"/> — convolutions
/// (1-3-d, transposed), linear, matmul, mm, bmm, addmm, baddbmm, addbmm, PReLU, scaled dot-product attention — and the
/// ops of its fp32 list (the losses: cross-entropy, NLL, MSE, L1, smooth L1, BCE with logits, KL; norms, cdist, FFT,
/// linear algebra) in float32. Everything else (batch norm, ReLU, pooling, additions, Drop-Activation) runs in the dtype
/// of its inputs; batch norm keeps its float32 weights and statistics. Parameters stay float32 and their gradients
/// come back float32, so optimizers are unchanged. Create one around forward and loss, not backward.
/// <para>
/// The state is libtorch's and per thread: other threads are unaffected, and a scope must be disposed on the thread
/// that opened it. Scopes nest: disposing one restores the enabled flag and dtype it found; the outermost also clears
/// autocast's cache of cast weights. bf16 is fast only where the CPU computes it
/// (<see cref="Runtime.CpuFeatures.ComputesBFloat16Natively"/>); elsewhere it is emulated, many times slower.
/// </para>
/// </summary>
public sealed class Autocast : IDisposable
{
    private const sbyte Cpu = (sbyte)DeviceType.CPU;
    private readonly bool _wasEnabled;
    private readonly sbyte _previous;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private bool _disposed;

    internal unsafe Autocast(ScalarType dtype, bool enabled)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "CPU autocast computes in BFloat16 or Float16.");
        var api = LibTorchAutocast.Api;
        _wasEnabled = api.IsEnabled(Cpu) != 0;
        _previous = api.GetDtype(Cpu);
        api.SetEnabled(Cpu, enabled ? (byte)1 : (byte)0);
        api.SetDtype(Cpu, (sbyte)dtype);
        api.IncrementNesting();
    }

    /// <summary>Whether CPU autocast is on for the calling thread.</summary>
    public static unsafe bool IsEnabled => LibTorchAutocast.Api.IsEnabled(Cpu) != 0;

    /// <summary>The calling thread's CPU autocast dtype (libtorch's default: BFloat16).</summary>
    public static unsafe ScalarType DType => (ScalarType)LibTorchAutocast.Api.GetDtype(Cpu);

    /// <summary>Restores the state this scope found; the outermost scope also clears the cast cache.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that opened the scope.</exception>
    public unsafe void Dispose()
    {
        if (_disposed) return;
        if (Environment.CurrentManagedThreadId != _thread)
            throw new InvalidOperationException("An autocast scope must be disposed on the thread that opened it (libtorch's autocast state is per thread).");
        _disposed = true;
        var api = LibTorchAutocast.Api;
        if (api.DecrementNesting() == 0) api.ClearCache();
        api.SetEnabled(Cpu, _wasEnabled ? (byte)1 : (byte)0);
        api.SetDtype(Cpu, _previous);
    }
}
