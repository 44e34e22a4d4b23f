using System.Diagnostics;

namespace DropActivation.TestSupport;

/// <summary>Runs the built dropact as a child process (<c>dotnet dropact.dll ...</c>), the way users and Slurm tasks do; <see cref="DotnetHost"/> runs other programs of a test's output folder.</summary>
internal static class DropactProcess
{
    public static Process Start(string workDir, params string[] args) => Start(workDir, null, args);

    public static Process Start(string workDir, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(DotnetHost()) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dropact.dll")); // built into the test's output folder (the CLI is a project reference)
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
    }

    public static (int Exit, string Out, string Err) Run(string workDir, TimeSpan timeout, params string[] args) => Run(workDir, timeout, null, args);

    public static (int Exit, string Out, string Err) Run(string workDir, TimeSpan timeout, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        using var p = Start(workDir, env, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dropact {string.Join(' ', args)} did not end within {timeout.TotalSeconds:F0} s; output so far: {stdout.Result}{stderr.Result}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The dotnet running these tests (so the child uses the same runtime).</summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException("dotnet not found");
    }
}
