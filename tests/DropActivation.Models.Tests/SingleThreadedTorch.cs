using System.Runtime.CompilerServices;
using TorchSharp;

namespace DropActivation.Models.Tests;

/// <summary>
/// Runs libtorch single-threaded in this test process. The suite runs on shared two-core machines, where
/// libtorch's OpenMP workers spin against other processes: ResNet-110 forward+backward measured
/// 306 ms/image with 2 threads under load against 21 ms/image with 1 thread. No test depends on the count.
/// </summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Initialise() => torch.set_num_threads(1);
}
