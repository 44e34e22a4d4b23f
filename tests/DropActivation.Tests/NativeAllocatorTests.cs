using DropActivation.Runtime;

namespace DropActivation.Tests;

/// <summary>
/// The allocator choice of <see cref="NativeAllocator"/> (DROPACT_ALLOCATOR). The restart itself is
/// tested on the real dropact process (DropActivation.Cli.Tests, CliBasicsTests): restarting this
/// test host would end the test run.
/// </summary>
public class NativeAllocatorTests
{
    private static T WithChoice<T>(string? value, Func<T> body)
    {
        var before = Environment.GetEnvironmentVariable(NativeAllocator.ChoiceVariable);
        Environment.SetEnvironmentVariable(NativeAllocator.ChoiceVariable, value);
        try { return body(); }
        finally { Environment.SetEnvironmentVariable(NativeAllocator.ChoiceVariable, before); }
    }

    [Fact]
    public void The_choice_variable_picks_glibc_a_named_allocator_or_a_path_and_rejects_the_rest()
    {
        Assert.Null(WithChoice("glibc", NativeAllocator.FindLibrary));
        Assert.Null(WithChoice("GLIBC", NativeAllocator.FindLibrary));

        var unknown = Assert.Throws<ArgumentException>(() => WithChoice("hoard", NativeAllocator.FindLibrary));
        Assert.Contains("hoard", unknown.Message);
        var missing = Assert.Throws<ArgumentException>(() => WithChoice("/no/such/libfast.so", NativeAllocator.FindLibrary));
        Assert.Contains("no such file", missing.Message);

        // A path is taken as it is (the file must exist; whether it is an allocator is the user's call).
        var file = Path.GetTempFileName();
        try { Assert.Equal(Path.GetFullPath(file), WithChoice(file, NativeAllocator.FindLibrary)); }
        finally { File.Delete(file); }

        // Unset: the first installed of tcmalloc, jemalloc, mimalloc, or none.
        var found = WithChoice(null, NativeAllocator.FindLibrary);
        if (found is not null)
        {
            Assert.True(File.Exists(found), found);
            Assert.Matches("lib(tcmalloc|jemalloc|mimalloc)", Path.GetFileName(found));
        }
        var tcmalloc = new[] { "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", "/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4" }
            .FirstOrDefault(File.Exists);
        if (tcmalloc is not null) Assert.Equal(tcmalloc, found); // tcmalloc first when it is there
        // Named but not installed: a clear error naming the library.
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libmimalloc.so.2") && !File.Exists("/usr/lib/aarch64-linux-gnu/libmimalloc.so.2"))
            Assert.Contains("libmimalloc.so.2", Assert.Throws<ArgumentException>(() => WithChoice("mimalloc", NativeAllocator.FindLibrary)).Message);
    }

    [Fact]
    public void Current_reads_the_allocator_from_the_loaded_libraries()
    {
        // This test host was started by dotnet test, not restarted: it runs on glibc unless the
        // person running the tests preloaded an allocator themselves.
        var preload = Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "";
        var expected = preload.Contains("tcmalloc") ? "tcmalloc" : preload.Contains("jemalloc") ? "jemalloc"
            : preload.Contains("mimalloc") ? "mimalloc" : "glibc";
        Assert.Equal(expected, NativeAllocator.Current);
        Assert.Equal(expected != "glibc", NativeAllocator.IsFast);
    }
}
