using System.Runtime.InteropServices;

namespace DropActivation.Kernels;

/// <summary>
/// What a custom node's backward asks libtorch's autograd engine about the pass it runs in.
/// TorchSharp does not expose it, so the one C++ function is called by its exported name.
/// </summary>
internal static class AutogradEngine
{
    private static int _warned;

    /// <summary>Whether the engine can be asked (libtorch exports the function this TorchSharp links against).</summary>
    public static bool Available
    {
        get
        {
            try
            {
                get_current_graph_task_keep_graph(); // outside a backward pass: true, harmlessly
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Whether the running backward pass keeps the graph (<c>retain_graph: true</c>): the node
    /// will be run again and must keep what it saved. Where the engine cannot be asked, assumes
    /// it does (saved outputs then live until the graph is freed: correct, with more page faults).
    /// </summary>
    public static bool KeepsGraph()
    {
        try
        {
            return get_current_graph_task_keep_graph();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
                Console.Error.WriteLine($"warning: DropActivation cannot ask libtorch whether a backward pass keeps its graph ({e.GetType().Name}); " +
                    "saved outputs are kept until the graph is freed (correct, slightly more memory traffic).");
            return true;
        }
    }

    // torch::autograd::get_current_graph_task_keep_graph() in libtorch_cpu (torch/csrc/autograd/engine.h).
    [DllImport("torch_cpu", EntryPoint = "_ZN5torch8autograd33get_current_graph_task_keep_graphEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool get_current_graph_task_keep_graph();
}
