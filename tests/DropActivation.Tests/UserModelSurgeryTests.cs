using System.Diagnostics;
using System.Text.Json;

namespace DropActivation.Tests;

/// <summary>
/// Drop-Activation in a user's own TorchVision ResNet-50 trains without a hand-written swap (issue 31). The step runs in
/// a child process (tests/DropActivation.UserModelProbe): a native crash fails this test instead of killing the test run.
/// </summary>
public class UserModelSurgeryTests
{
    [Fact]
    public void A_torchvision_resnet50_trains_one_step_after_UseDropActivation_alone_in_its_own_process()
    {
        var psi = new ProcessStartInfo(DropactProcess.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DropActivation.UserModelProbe.dll"));
        psi.Environment["OMP_NUM_THREADS"] = "2";
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail("the ResNet-50 step did not end within 5 minutes");
        }
        child.WaitForExit();
        Assert.True(child.ExitCode == 0,
            $"exit code {child.ExitCode}{(child.ExitCode == 136 ? " (SIGFPE: oneDNN's strided 1x1 convolution backward; the surgery did not protect the model)" : "")}: {stderr.Result}");
        var report = JsonDocument.Parse(stdout.Result).RootElement;
        Assert.Equal(3, report.GetProperty("protected_convolutions").GetInt32());
        Assert.True(report.GetProperty("activations").GetInt32() > 0);
        Assert.Equal(report.GetProperty("parameters").GetInt32(), report.GetProperty("finite_gradients").GetInt32());
        Assert.True(float.IsFinite(report.GetProperty("loss").GetSingle()));
    }
}
