using System.Runtime.CompilerServices;
using TorchSharp;

namespace DropActivation.Analysis.Tests;

/// <summary>
/// Runs libtorch single-threaded in this test process: on the shared two-core machines libtorch's
/// OpenMP workers spin against other processes and make the suite about ten times slower.
/// </summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Initialise() => torch.set_num_threads(1);
}
