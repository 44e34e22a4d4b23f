using System.Diagnostics;
using Google.Protobuf;
using Onnx;

namespace DropActivation.Onnx.Tests;

/// <summary>
/// ONNX's own checker (<c>onnx.checker.check_model(model, full_check=True)</c>, with shape inference)
/// through Python's onnx package (Debian: python3-onnx, 1.12: IR version 8, opsets up to 17). Where the
/// package is missing the checker steps are skipped (a failure under CI=true, where .ci/run installs it);
/// ONNX Runtime still loads and validates every graph.
/// </summary>
internal static class OnnxChecker
{
    /// <summary>The newest opset the installed checker knows.</summary>
    public const int MaxCheckedOpset = 17;

    /// <summary>The first Python that imports onnx: the one on PATH, else the system's (Debian's python3-onnx lives there, a pyenv Python may shadow it).</summary>
    private static readonly Lazy<string?> Interpreter = new(() =>
        new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(python => RunPython(python, "import onnx", null).Exit == 0));

    /// <summary>Whether python3 with the onnx package is installed.</summary>
    public static bool Available => Interpreter.Value is not null;

    /// <summary>Why the checker cannot run here, or null when it can.</summary>
    public static string? MissingReason => Available ? null : "python3 with the onnx package (Debian: python3-onnx) is not installed";

    /// <summary>Runs the checker on the serialised model; returns its exit code and messages.</summary>
    public static (int Exit, string Output) Check(ModelProto model)
    {
        var file = Path.Combine(RealData.NewTempDir("dropact-onnx-check"), "model.onnx");
        try
        {
            File.WriteAllBytes(file, model.ToByteArray());
            return RunPython(Interpreter.Value ?? "python3", "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", file);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>Fails when the checker rejects the model; does nothing when the checker is not installed (see <see cref="OnnxCheckerFactAttribute"/>).</summary>
    public static void AssertValid(ModelProto model, int opset)
    {
        if (!Available || opset > MaxCheckedOpset) return;
        var (exit, output) = Check(model);
        Assert.True(exit == 0, $"onnx.checker rejected the model: {output}");
    }

    private static (int Exit, string Output) RunPython(string python, string code, string? argument)
    {
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(code);
            if (argument is not null) info.ArgumentList.Add(argument);
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

/// <summary>A fact that needs ONNX's Python checker: skipped with the reason where it is missing, except under CI=true, where it fails.</summary>
internal sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (OnnxChecker.MissingReason is { } reason && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"{reason} (set CI=true to make this a failure)";
    }
}
