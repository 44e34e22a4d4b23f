using System.Runtime.CompilerServices;
using TorchSharp;

namespace DropActivation.TestSupport;

/// <summary>
/// Runs libtorch single-threaded in the test process of a project that sets <c>SingleThreadedTorch</c>
/// (tests/Directory.Build.props). The suites run on shared two-core machines, where libtorch's OpenMP
/// workers spin against other processes: ResNet-110 forward+backward measured 306 ms/image with 2
/// threads under load against 21 ms/image with 1 thread, and a suite about ten times slower. No test
/// depends on the count.
/// </summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Initialise() => torch.set_num_threads(1);
}
