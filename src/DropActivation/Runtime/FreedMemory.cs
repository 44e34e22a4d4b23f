using System.Runtime.InteropServices;

namespace DropActivation.Runtime;

/// <summary>
/// How this process's C allocator treats freed memory. By default glibc hands freed activation
/// buffers back to the system (trimming the heap, and a separate mapping for every block above
/// its mmap threshold) and the next training step faults them all in again: thousands of page
/// faults per step, a preresnet-20 step 1.2–2× slower and noisier (measured). With
/// <see cref="RetainFreedMemory"/> glibc keeps them, as jemalloc or tcmalloc do: no trimming,
/// no separate mappings below 32 MiB, 256 MiB of headroom at the top of the heap. Resident
/// memory then stays at the peak of a step instead of dropping between steps (measured: up to
/// about 15% more than with glibc's defaults, +5% from epoch 1 to 5; docs/memory.md).
/// <para>
/// Only <see cref="ProcessSettings.Apply"/> applies it (the dropact command and the benchmarks call
/// it; your own program when it calls it); loading this library changes nothing. Outside glibc
/// (macOS, Windows, musl) nothing is changed.
/// </para>
/// </summary>
public static class FreedMemory
{
    private const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
    private const int MmapThreshold = 32 << 20, TopPad = 256 << 20;

    private static readonly object Gate = new();
    private static bool _retained;

    /// <summary>Whether this process's allocator was told to keep freed memory (by this class).</summary>
    public static bool IsRetained
    {
        get { lock (Gate) return _retained; }
    }

    /// <summary>
    /// Tells glibc to keep freed memory (through <see cref="ProcessSettings.Apply"/>). Idempotent;
    /// returns whether the settings are in force (false outside glibc, or if glibc refused one of them).
    /// </summary>
    internal static bool RetainFreedMemory()
    {
        lock (Gate)
        {
            if (_retained) return true;
            if (!OperatingSystem.IsLinux()) return false;
            try
            {
                _retained = mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1
                    && mallopt(M_TOP_PAD, TopPad) == 1
                    && mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _retained = false; // not glibc
            }
            return _retained;
        }
    }

    /// <summary>
    /// Checks the behaviour itself, not a flag: allocates 16 MiB with malloc, touches it, frees it,
    /// and asks glibc (<c>mallinfo2</c>) whether the memory it holds from the system (heap plus
    /// mapped blocks) went down again. True when the freed block stayed with the process.
    /// </summary>
    public static unsafe bool FreedBlocksStayInTheHeap()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            const int size = 16 << 20;
            void* block = NativeMemory.Alloc(size);
            for (int i = 0; i < size; i += 4096) ((byte*)block)[i] = 1; // real pages, not only address space
            var during = mallinfo2();
            NativeMemory.Free(block);
            var after = mallinfo2();
            return (long)(after.arena + after.hblkhd) >= (long)(during.arena + during.hblkhd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();
}
