using System.Diagnostics;
using System.Text.Json;
using DropActivation.Runtime;

namespace DropActivation.Tests;

/// <summary>
/// Loading the layer library changes nothing in a process until it calls <see cref="ProcessSettings.Apply"/>:
/// a plain TorchSharp program that references only DropActivation (tests/DropActivation.LibraryProbe) runs
/// as a child on glibc's malloc and reports its state before, after a Drop-Activation step, and after Apply.
/// </summary>
public class LibrarySideEffectTests
{
    [Fact]
    public void Using_the_layer_leaves_malloc_threads_and_environment_alone_until_ProcessSettings_Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        var psi = new ProcessStartInfo(DropactProcess.DotnetHost()) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DropActivation.LibraryProbe.dll"));
        psi.Environment.Remove("LD_PRELOAD"); // glibc's malloc, whatever this test host runs on
        psi.Environment.Remove("DROPACT_GLIBC_MALLOC_DEFAULTS");
        psi.Environment[NativeAllocator.ChoiceVariable] = "glibc"; // Apply keeps glibc (no restart) and tells it to keep freed memory
        using var child = Process.Start(psi)!;
        var report = JsonDocument.Parse(child.StandardOutput.ReadToEnd()).RootElement;
        child.WaitForExit();
        Assert.Equal(0, child.ExitCode);
        var (before, used, applied) = (report.GetProperty("before"), report.GetProperty("used"), report.GetProperty("applied"));
        int threads = before.GetProperty("threads").GetInt32();
        string environment = before.GetProperty("environment").GetRawText();

        // After a forward and backward through DA.DropAct: same threads, same environment, glibc's
        // defaults (a freed 16 MiB block goes back to the system).
        Assert.Equal((threads, environment, false), (used.GetProperty("threads").GetInt32(), used.GetProperty("environment").GetRawText(), used.GetProperty("freed_block_kept").GetBoolean()));
        // After ProcessSettings.Apply(threads: n + 1): the threads asked for, and glibc keeps freed memory.
        Assert.Equal((threads + 1, environment, true), (applied.GetProperty("threads").GetInt32(), applied.GetProperty("environment").GetRawText(), applied.GetProperty("freed_block_kept").GetBoolean()));
    }
}
