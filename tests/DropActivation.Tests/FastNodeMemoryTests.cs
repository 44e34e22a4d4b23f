using TorchSharp;

namespace DropActivation.Tests;

/// <summary>What the fast path's autograd node keeps alive.</summary>
public class FastNodeMemoryTests
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static double ResidentMb() =>
        double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))[6..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture) / 1024.0;

    [Fact]
    public void Forwards_never_followed_by_backward_free_their_outputs_with_the_graph()
    {
        // Training-mode forwards with gradients on but no backward (a loss only logged, a step
        // abandoned): each 4 MB output must go when its graph goes, not wait for the garbage
        // collector (kept as plain data, 150 of them held 600 MB until a collection).
        using var x = torch.randn(1 << 20).requires_grad_(true);
        var layer = DA.DropAct(0.95);
        using (var warm = torch.NewDisposeScope()) layer.call(x);
        MallocTrim(0);
        double before = ResidentMb();
        for (int i = 0; i < 150; i++)
        {
            using var scope = torch.NewDisposeScope();
            layer.call(x);
        }
        MallocTrim(0);
        double grown = ResidentMb() - before;
        Assert.True(grown < 100, $"resident memory grew by {grown:F0} MB over 150 forwards without backward");
    }
}
