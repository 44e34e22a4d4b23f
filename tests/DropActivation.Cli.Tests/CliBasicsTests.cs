using System.Text.Json;

namespace DropActivation.Cli.Tests;

public class CliBasicsTests
{
    [Fact]
    public void Help_lists_the_commands_and_exits_zero()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Drop-Activation", output);
        Assert.Contains("info", output);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var (exit, output, _) = CliRunner.Run("--version");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(CliApp.Version, output.Trim());
    }

    [Fact]
    public void Unknown_command_is_a_usage_error_with_one_message_and_no_stack_trace()
    {
        var (exit, _, error) = CliRunner.Run("frobnicate");
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("frobnicate", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var (exit, _, error) = CliRunner.Run("info", "--no-such-option");
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("--no-such-option", error);
    }

    [Fact]
    public void Info_json_reports_versions_and_threads()
    {
        var (exit, output, _) = CliRunner.Run("info", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(CliApp.Version, doc.RootElement.GetProperty("dropact").GetString());
        Assert.True(doc.RootElement.GetProperty("threads").GetInt32() >= 1);
        Assert.Equal(DropActivation.Runtime.CpuFeatures.Current.ComputesBFloat16Natively, doc.RootElement.GetProperty("bf16_native").GetBoolean());
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void Train_records_channels_last_and_bf16_or_refuses_bf16_where_the_cpu_would_emulate_it()
    {
        var dir = RealData.NewTempDir("dropact-cli-tests");
        var (exit, output, error) = CliRunner.Run("train", "--model", "simple-cnn", "--dataset", "fashion-mnist", "--data", RealData.Root,
            "--epochs", "1", "--train-subset", "256", "--test-subset", "128", "--threads", "1", "--channels-last", "--precision", "bf16", "--out", dir);
        if (!DropActivation.Runtime.CpuFeatures.Current.ComputesBFloat16Natively)
        {
            Assert.NotEqual(ExitCodes.Success, exit);
            Assert.Contains("--precision bf16 needs a CPU that computes bfloat16 natively", error);
            return;
        }
        Assert.True(exit == ExitCodes.Success, output + error);
        var config = File.ReadAllText(Path.Combine(dir, "config.json"));
        Assert.Contains("\"channels_last\": true", config);
        Assert.Contains("\"precision\": \"bf16\"", config);
        (exit, output, error) = CliRunner.Run("eval", "--checkpoint", Path.Combine(dir, "checkpoint.dact"), "--data", RealData.Root, "--precision", "fp32");
        Assert.True(exit == ExitCodes.Success, output + error);
        Assert.Contains("top-1 error", output);
    }

    [Fact]
    public void The_dropact_process_runs_on_tcmalloc_when_installed_and_the_opt_outs_keep_glibc()
    {
        // The real command in its own process, as a user runs it. With tcmalloc installed (CI installs
        // Debian's libtcmalloc-minimal4) the process restarts itself under it: the library is mapped.
        var tcmalloc = new[] { "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", "/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4" }
            .FirstOrDefault(File.Exists);
        if (tcmalloc is null && Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail("libtcmalloc_minimal.so.4 is not installed (apt install libtcmalloc-minimal4; .ci/run does)");
        var info = Info(null);
        Assert.Equal(tcmalloc is null ? "glibc" : "tcmalloc", info.Allocator);
        Assert.True(info.KeepsFreed); // TCMALLOC_RELEASE_RATE=0 in the restarted process; glibc: mallopt
        // The user's own tcmalloc setting wins over the restart's default.
        if (tcmalloc is not null)
        {
            var own = Info(("TCMALLOC_RELEASE_RATE", "5"));
            Assert.Equal(("tcmalloc", false), (own.Allocator, own.KeepsFreed));
            // The restarted process's gen-0 budget is the small one (the runtime rounds 4 MiB up to at most
            // 8 MiB; its own default on a large-cache CPU is tens of MiB); a user's DOTNET_GCgen0size wins.
            Assert.InRange(info.Gen0MaxBudget, DropActivation.Runtime.NativeAllocator.Gen0Budget, 8L << 20);
            var ownBudget = Info((DropActivation.Runtime.NativeAllocator.Gen0BudgetVariable, "0x4000000"));
            Assert.True(ownBudget.Gen0MaxBudget >= 64L << 20, $"gen-0 budget {ownBudget.Gen0MaxBudget} with DOTNET_GCgen0size=0x4000000");
        }

        // DROPACT_ALLOCATOR=glibc: glibc, told to keep freed memory, and it really keeps a freed 16 MiB
        // block (a behaviour, read back from glibc).
        Assert.Equal(("glibc", true, true, true), Info((DropActivation.Runtime.NativeAllocator.ChoiceVariable, "glibc")).Values());
        // DROPACT_ALLOCATOR=glibc-defaults (or the older DROPACT_GLIBC_MALLOC_DEFAULTS=1): glibc with its
        // defaults; a freed 16 MiB block goes back to the system.
        Assert.Equal(("glibc", false, false, false), Info((DropActivation.Runtime.NativeAllocator.ChoiceVariable, "glibc-defaults")).Values());
        Assert.Equal(("glibc", false, false, false), Info(("DROPACT_GLIBC_MALLOC_DEFAULTS", "1")).Values());
        // An unknown choice is a one-line warning and the command still runs, on glibc.
        var hoard = Info((DropActivation.Runtime.NativeAllocator.ChoiceVariable, "hoard"));
        Assert.Equal("glibc", hoard.Allocator);
        Assert.Contains("DROPACT_ALLOCATOR=hoard", hoard.Error);
    }

    /// <summary>`dropact info --json` in its own process with one environment variable set (or none).</summary>
    private static InfoResult Info((string Name, string Value)? variable)
    {
        var env = variable is { } v ? new Dictionary<string, string> { [v.Name] = v.Value } : null;
        var (exit, output, error) = DropactProcess.Run(Environment.CurrentDirectory, TimeSpan.FromMinutes(2), env, "info", "--json");
        Assert.True(exit == ExitCodes.Success, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        return new InfoResult(root.GetProperty("allocator").GetString()!, root.GetProperty("allocator_keeps_freed_memory").GetBoolean(),
            root.GetProperty("freed_memory_retained").GetBoolean(), root.GetProperty("freed_blocks_stay_in_heap").GetBoolean(), error,
            root.GetProperty("gc_gen0_max_budget_bytes").GetInt64());
    }

    private sealed record InfoResult(string Allocator, bool KeepsFreed, bool Retained, bool BlocksStay, string Error, long Gen0MaxBudget)
    {
        /// <summary>The four reported values as a tuple, to compare in one assertion.</summary>
        public (string, bool, bool, bool) Values() => (Allocator, KeepsFreed, Retained, BlocksStay);
    }

    [Fact]
    public void A_restarted_dropact_keeps_its_arguments_working_directory_and_exit_code()
    {
        // The restart re-executes the process: a usage error must still exit 2 with its message, and a
        // relative path must still resolve against the caller's working directory.
        var dir = Directory.CreateTempSubdirectory("dropact-restart-").FullName;
        try
        {
            var (exit, _, error) = DropactProcess.Run(dir, TimeSpan.FromMinutes(2), "theory", "--samples", "2345");
            Assert.Equal(ExitCodes.UsageError, exit);
            Assert.Contains("got 2345", error);
            (exit, _, error) = DropactProcess.Run(dir, TimeSpan.FromMinutes(2), "theory", "--samples", "10000", "--draws", "1000", "--out", "rel");
            Assert.True(exit == ExitCodes.Success, error);
            Assert.True(File.Exists(Path.Combine(dir, "rel", "theory.json")), "the relative --out did not land in the caller's working directory");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

public class CliErrorHandlingTests
{
    private static System.CommandLine.RootCommand RootThatThrows(Exception e)
    {
        var root = new System.CommandLine.RootCommand("test");
        root.Add(CliApp.Verbose);
        var fail = new System.CommandLine.Command("fail", "throws");
        fail.SetAction((Func<System.CommandLine.ParseResult, int>)(_ => throw e));
        root.Add(fail);
        return root;
    }

    private static (int, string) Run(Exception e, params string[] args)
    {
        var err = new StringWriter();
        int exit = CliApp.Run(RootThatThrows(e), args, new StringWriter(), err);
        return (exit, err.ToString());
    }

    [Fact]
    public void A_user_error_is_one_line_and_exit_code_one()
    {
        var (exit, err) = Run(new UserError("no such folder: /data/cifar"), "fail");
        Assert.Equal(ExitCodes.RuntimeError, exit);
        Assert.Equal("error: no such folder: /data/cifar", err.Trim());
    }

    [Fact]
    public void An_unexpected_error_has_no_stack_trace_unless_verbose()
    {
        var (exit, err) = Run(new InvalidOperationException("boom"), "fail");
        Assert.Equal(ExitCodes.RuntimeError, exit);
        Assert.Contains("error: boom", err);
        Assert.DoesNotContain(" at ", err);

        var (exitVerbose, errVerbose) = Run(new InvalidOperationException("boom"), "fail", "--verbose");
        Assert.Equal(ExitCodes.RuntimeError, exitVerbose);
        Assert.Contains("InvalidOperationException", errVerbose);
        Assert.Contains(" at ", errVerbose);
    }

    [Fact]
    public void A_usage_error_raised_by_a_command_exits_two()
    {
        var (exit, err) = Run(new UsageError("--p must lie in [0, 1], got 1.5"), "fail");
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains("--p must lie in [0, 1]", err);
    }
}
