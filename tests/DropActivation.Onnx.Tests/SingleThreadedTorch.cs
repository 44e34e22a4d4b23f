using System.Runtime.CompilerServices;
using TorchSharp;

namespace DropActivation.Onnx.Tests;

/// <summary>Runs libtorch single-threaded in this test process (the suite shares two cores with other test hosts).</summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Initialise() => torch.set_num_threads(1);
}
