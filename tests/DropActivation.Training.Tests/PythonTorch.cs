using System.Diagnostics;

namespace DropActivation.Training.Tests;

/// <summary>
/// Debian's PyTorch (<c>/usr/bin/python3</c> with <c>python3-torch</c> and <c>python3-torchvision</c>, which .ci/run
/// installs), the independent reference of the weight round-trip tests.
/// </summary>
internal static class PythonTorch
{
    /// <summary>The interpreter: Debian's own, not whatever python3 comes first on PATH.</summary>
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> Problem = new(() =>
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} not found";
        var (exit, _, err) = Run(TimeSpan.FromSeconds(120), "-c", "import torch, torchvision");
        return exit == 0 ? null : $"{Interpreter} cannot import torch and torchvision ({err.Trim().Split('\n').LastOrDefault()}); apt-get install python3-torch python3-torchvision";
    });

    /// <summary>Why PyTorch cannot be used here, or null when it can.</summary>
    public static string? Unavailable => Problem.Value;

    /// <summary>Runs the interpreter with <paramref name="args"/>; exit code, standard output and error.</summary>
    public static (int Exit, string Out, string Err) Run(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Interpreter}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Interpreter} {string.Join(' ', args)} ran longer than {timeout}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>
/// A fact that needs Debian's PyTorch. Without it the test is skipped with the reason, except under CI=true,
/// where it runs and fails (.ci/run installs PyTorch).
/// </summary>
internal sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && PythonTorch.Unavailable is { } why)
            Skip = $"{why} (set CI=true to make this a failure)";
    }
}
