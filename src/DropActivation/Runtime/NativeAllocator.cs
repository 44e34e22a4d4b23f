using System.Runtime.InteropServices;

namespace DropActivation.Runtime;

/// <summary>
/// Which C allocator serves libtorch's tensors in this process, and a way to get a better one.
/// glibc's malloc fragments under a training loop: measured on pre-activation ResNet-20 (batch 64,
/// 5 epochs), about 250 MiB stay in use while its heap grows to 1.1 GiB after epoch 1 and 2.2 GiB
/// after epoch 5 (+100 %, with or without <see cref="FreedMemory"/>'s settings, with one arena or
/// eight). Under tcmalloc the same run holds 446 → 476 MiB and its epochs are about 15 % faster;
/// jemalloc and mimalloc behave alike (docs/memory.md).
/// <para>
/// An allocator can only be chosen before a process starts (<c>LD_PRELOAD</c>), so
/// <see cref="RestartUnderFastAllocator"/> re-executes the current process, same arguments and
/// environment, with the first of tcmalloc, jemalloc or mimalloc that is installed (Debian:
/// <c>apt install libtcmalloc-minimal4</c>) preloaded. <see cref="ProcessSettings.Apply"/> calls it
/// (the dropact command and the benchmarks first thing; your own program on the first line of <c>Main</c>).
/// The restarted process keeps freed memory as glibc is told to (<c>TCMALLOC_RELEASE_RATE=0</c>,
/// jemalloc's decay off) and gets a small gen-0 budget for the managed heap
/// (<see cref="Gen0BudgetVariable"/>), unless those variables are already set.
/// Set <c>DROPACT_ALLOCATOR=glibc</c> to stay on glibc (told to keep freed memory), <c>glibc-defaults</c> to
/// stay on glibc with its own defaults, or <c>tcmalloc</c>, <c>jemalloc</c>, <c>mimalloc</c> or a library's
/// path to choose. Linux only; elsewhere nothing happens.
/// </para>
/// </summary>
public static class NativeAllocator
{
    /// <summary>Chooses the allocator: glibc, glibc-defaults, tcmalloc, jemalloc, mimalloc, or the path of a shared library.</summary>
    public const string ChoiceVariable = "DROPACT_ALLOCATOR";

    /// <summary>The older spelling of <c>DROPACT_ALLOCATOR=glibc-defaults</c>, still read: 1 keeps glibc's defaults.</summary>
    private const string GlibcDefaultsVariable = "DROPACT_GLIBC_MALLOC_DEFAULTS";

    /// <summary>Whether glibc's malloc is to keep its own defaults: no restart, no <c>mallopt</c>.</summary>
    internal static bool GlibcDefaultsChosen =>
        string.Equals(Environment.GetEnvironmentVariable(ChoiceVariable)?.Trim(), "glibc-defaults", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable(GlibcDefaultsVariable) == "1";

    /// <summary>Set in the re-executed process, so a restart is tried once only.</summary>
    public const string RestartedVariable = "DROPACT_ALLOCATOR_RESTARTED";

    private static readonly (string Name, string[] Files)[] Known =
    [
        ("tcmalloc", ["libtcmalloc_minimal.so.4", "libtcmalloc.so.4"]),
        ("jemalloc", ["libjemalloc.so.2"]),
        ("mimalloc", ["libmimalloc.so.2"]),
    ];

    private static readonly string[] LibraryFolders =
    [
        "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib64", "/usr/lib", "/usr/local/lib",
    ];

    /// <summary>
    /// The allocator this process runs on, read from its loaded libraries: "tcmalloc", "jemalloc",
    /// "mimalloc", or "glibc" (on Linux with none of them); "system" on other operating systems.
    /// </summary>
    public static string Current
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return "system";
            string maps;
            try { maps = File.ReadAllText("/proc/self/maps"); }
            catch (IOException) { return "glibc"; }
            foreach (var (name, _) in Known)
                if (maps.Contains("lib" + name, StringComparison.Ordinal)) return name;
            return "glibc";
        }
    }

    /// <summary>Whether the current allocator is one of the fast ones (not glibc's malloc).</summary>
    public static bool IsFast => Current is "tcmalloc" or "jemalloc" or "mimalloc";

    /// <summary>
    /// Whether the current allocator keeps freed memory for the next step instead of handing it back
    /// to the system: tcmalloc with <c>TCMALLOC_RELEASE_RATE=0</c>, jemalloc with its decay off,
    /// glibc with <see cref="FreedMemory"/>'s settings; false for mimalloc (not tuned here).
    /// </summary>
    public static bool KeepsFreedMemory => Current switch
    {
        "tcmalloc" => double.TryParse(Environment.GetEnvironmentVariable("TCMALLOC_RELEASE_RATE"),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) && rate == 0,
        "jemalloc" => (Environment.GetEnvironmentVariable("MALLOC_CONF") ?? "").Contains("dirty_decay_ms:-1", StringComparison.Ordinal),
        "glibc" => FreedMemory.IsRetained,
        _ => false,
    };

    /// <summary>
    /// The shared library <see cref="RestartUnderFastAllocator"/> would preload, from
    /// <see cref="ChoiceVariable"/> or the first installed of tcmalloc, jemalloc, mimalloc; null if
    /// none is installed or glibc was chosen.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="ChoiceVariable"/> names an unknown allocator or a missing file.</exception>
    public static string? FindLibrary()
    {
        var choice = Environment.GetEnvironmentVariable(ChoiceVariable)?.Trim();
        if (string.IsNullOrEmpty(choice)) return Known.Select(k => Locate(k.Files)).FirstOrDefault(path => path is not null);
        if (choice.Equals("glibc", StringComparison.OrdinalIgnoreCase) || GlibcDefaultsChosen) return null;
        if (choice.Contains('/'))
            return File.Exists(choice) ? Path.GetFullPath(choice)
                : throw new ArgumentException($"{ChoiceVariable}={choice}: no such file.");
        var known = Known.FirstOrDefault(k => k.Name.Equals(choice, StringComparison.OrdinalIgnoreCase));
        if (known.Name is null)
            throw new ArgumentException($"{ChoiceVariable}={choice}: expected glibc, glibc-defaults, tcmalloc, jemalloc, mimalloc or the path of a shared library.");
        return Locate(known.Files)
            ?? throw new ArgumentException($"{ChoiceVariable}={choice}: {known.Files[0]} is not installed (searched {string.Join(", ", LibraryFolders)}).");
    }

    /// <summary>
    /// Re-executes this process under a fast allocator when it runs on glibc's malloc and one is
    /// installed: same executable, arguments, working directory, environment and open standard
    /// streams, plus <c>LD_PRELOAD</c>. Called by <see cref="ProcessSettings.Apply"/>, first thing in
    /// <c>Main</c>, before the program writes or reads anything: on success it does not return. Returns false (and the program
    /// goes on, on glibc with <see cref="FreedMemory"/>'s settings) when there is nothing to do or
    /// the restart is impossible; never throws for a missing allocator.
    /// </summary>
    internal static bool RestartUnderFastAllocator()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Environment.GetEnvironmentVariable(RestartedVariable) == "1") return false; // tried once already
        if (GlibcDefaultsChosen) return false;
        if (Current != "glibc") return false;
        string? library;
        try { library = FindLibrary(); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"warning: {e.Message} Staying on glibc's malloc.");
            return false;
        }
        if (library is null) return false;

        string[] argv;
        string executable;
        try
        {
            argv = File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.None);
            if (argv.Length > 0 && argv[^1].Length == 0) argv = argv[..^1];
            executable = new FileInfo("/proc/self/exe").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/proc/self/exe";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        if (argv.Length == 0) return false;

        var environment = new List<string>();
        string? preload = null;
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var key = (string)e.Key;
            if (key == "LD_PRELOAD") { preload = e.Value as string; continue; }
            if (key == RestartedVariable) continue;
            environment.Add($"{key}={e.Value}");
        }
        environment.Add("LD_PRELOAD=" + (string.IsNullOrEmpty(preload) ? library : library + ":" + preload));
        environment.Add(RestartedVariable + "=1");
        // Keep freed memory, as FreedMemory has glibc do: by default tcmalloc and jemalloc hand idle
        // pages back to the system and the next step faults them in again (measured with tcmalloc:
        // about 280 more page faults per PreResNet-20 step). The user's own setting wins.
        foreach (var (variable, value, applies) in KeepFreedMemory)
            if (applies(library) && Environment.GetEnvironmentVariable(variable) is null)
                environment.Add($"{variable}={value}");
        // A small gen-0 budget for the managed heap (see Gen0Budget), unless the user chose one.
        if (Environment.GetEnvironmentVariable(Gen0BudgetVariable) is null && Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is null)
            environment.Add($"{Gen0BudgetVariable}=0x{Gen0Budget:X}");

        try
        {
            Console.Out.Flush();
            Console.Error.Flush();
            // The new program inherits this thread's signal mask: clear it first, so that whatever this
            // runtime may have blocked cannot keep SIGTERM/SIGINT from the restarted process.
            var none = new byte[128];
            _ = sigprocmask(SigSetMask, none, IntPtr.Zero);
            execve(executable, [.. argv, null], [.. environment, null]);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException) { }
        return false; // execve returned: it failed; carry on in this process
    }

    /// <summary>The .NET runtime's setting of the smallest gen-0 budget (hexadecimal bytes), read when a process starts.</summary>
    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";

    /// <summary>
    /// The gen-0 budget the restarted process gets (4 MiB) unless <see cref="Gen0BudgetVariable"/> is set.
    /// A training step allocates 150-210 KiB of managed objects (tensor handles, autograd nodes); with
    /// the budget the runtime derives from a large L3 cache (55 MiB measured on a 2-core Xeon VM) each
    /// collection's young memory is handed back and the next steps fault it in again: 41-57 page faults
    /// per PreResNet-20 step under tcmalloc, 0 with 4 MiB; the collections this adds took 0.6 ms per
    /// step on average.
    /// </summary>
    public const long Gen0Budget = 4L << 20;

    /// <summary>
    /// The largest gen-0 budget of this process's garbage collector in bytes
    /// (<c>GCGen0MaxBudget</c> of <see cref="GC.GetConfigurationVariables"/>), or null if the runtime does not say.
    /// </summary>
    public static long? Gen0MaxBudget =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var v) ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static readonly (string Variable, string Value, Func<string, bool> Applies)[] KeepFreedMemory =
    [
        ("TCMALLOC_RELEASE_RATE", "0", path => path.Contains("tcmalloc", StringComparison.Ordinal)),
        ("MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1", path => path.Contains("jemalloc", StringComparison.Ordinal)),
    ];

    private static string? Locate(string[] files)
    {
        foreach (var folder in LibraryFolders)
            foreach (var file in files)
            {
                var path = Path.Combine(folder, file);
                if (File.Exists(path)) return path;
            }
        return null;
    }

    private const int SigSetMask = 2;

    [DllImport("libc", SetLastError = true)]
    private static extern int execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);

    [DllImport("libc", SetLastError = true)]
    private static extern int sigprocmask(int how, byte[] set, IntPtr oldSet);
}
