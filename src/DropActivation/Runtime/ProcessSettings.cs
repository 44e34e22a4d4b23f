using TorchSharp;

namespace DropActivation.Runtime;

/// <summary>
/// The process-wide settings that keep a training loop fast and its memory flat, applied only when a
/// program asks for them: loading this library, building its layers or training with them changes
/// nothing in the process (no <c>mallopt</c>, no thread count, no environment variable). The
/// <c>dropact</c> command and the benchmarks call <see cref="Apply"/> on their first line; call it on
/// the first line of your own <c>Main</c> for the same behaviour.
/// <para>
/// Without it your program keeps glibc's malloc with its defaults (measured on a pre-activation
/// ResNet-20 step: tens of thousands of page faults per step, a step 1.2–2× slower and noisier, a first
/// epoch 1.27× slower; and glibc's heap fragments under a training loop: 1.1 GiB after epoch 1 and
/// 2.2 GiB after epoch 5, +100 %, with about 250 MiB in use; see <see cref="NativeAllocator"/>), the
/// .NET runtime's own gen-0 budget and torch's own thread count.
/// </para>
/// <para>
/// The allocator policy has one switch, <see cref="NativeAllocator.ChoiceVariable"/>
/// (<c>DROPACT_ALLOCATOR</c>): unset, the first installed of tcmalloc, jemalloc, mimalloc;
/// <c>glibc</c> stays on glibc and keeps freed memory; <c>glibc-defaults</c> changes nothing
/// (the older <c>DROPACT_GLIBC_MALLOC_DEFAULTS=1</c> means the same).
/// </para>
/// </summary>
public static class ProcessSettings
{
    /// <summary>
    /// Applies the settings: on glibc's malloc with a fast allocator installed, re-executes this process
    /// under it (same arguments and environment plus <c>LD_PRELOAD</c>, the allocator told to keep freed
    /// memory, a 4 MiB gen-0 budget; on success this call does not return, so make it the first line of
    /// <c>Main</c>); otherwise, on glibc, has glibc keep freed memory (<see cref="FreedMemory"/>); then sets
    /// torch's threads when <paramref name="threads"/> is given. Idempotent.
    /// </summary>
    /// <param name="threads">torch's intra-op threads; null leaves torch's own choice.</param>
    /// <returns>Whether the process's allocator now keeps freed memory (<see cref="NativeAllocator.KeepsFreedMemory"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static bool Apply(int? threads = null)
    {
        if (threads is { } n) ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(threads));
        if (!NativeAllocator.GlibcDefaultsChosen)
        {
            NativeAllocator.RestartUnderFastAllocator();
            if (NativeAllocator.Current == "glibc") FreedMemory.RetainFreedMemory();
        }
        if (threads is { } count) torch.set_num_threads(count);
        return NativeAllocator.KeepsFreedMemory;
    }
}
