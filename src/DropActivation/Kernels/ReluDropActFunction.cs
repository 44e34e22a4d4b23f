using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// Autograd node for the fast CPU ReLU Drop-Activation: forward and backward are
/// <see cref="ReluDropActCpuKernel"/>. Saves the output and the sparse dropped-position list.
/// </summary>
internal sealed class ReluDropActFunction : autograd.SingleTensorFunction<ReluDropActFunction>
{
    private const string DroppedKey = "dropped";

    [ThreadStatic] private static autograd.AutogradContext? _lastContext;

    public override string Name => "DropActReLUBackward";

    /// <summary>Applies the node: y with a backward that passes the gradient where x &gt; 0 or dropped.</summary>
    public static Tensor Apply(Tensor x, double p, ulong seed)
    {
        var y = apply(x, p, seed);
        ReleaseOutputCache(_lastContext);
        _lastContext = null;
        return y;
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var p = (double)vars[1];
        var seed = (ulong)vars[2];
        var y = ReluDropActCpuKernel.Forward(x, p, seed, record: true, out var dropped);
        ctx.save_for_backward(new List<Tensor> { y });
        ctx.save_data(DroppedKey, dropped!);
        // An undefined incoming gradient stays undefined (handled in backward) instead of being
        // materialised from a cached zero tensor.
        ctx.set_materialize_grads(false);
        _lastContext = ctx;
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var dropped = (DroppedPositions)ctx.get_data(DroppedKey);
        if (grad_output is null || grad_output.IsInvalid)
        {
            dropped.Release();
            return new List<Tensor> { null!, null!, null! };
        }
        var saved = ctx.get_saved_variables();
        var gradInput = ReluDropActCpuKernel.Backward(grad_output, saved[0], dropped);
        dropped.Release();
        // Release what backward no longer needs right away; holding it raises peak memory.
        grad_output.Dispose();
        foreach (var t in saved) t.Dispose();
        // One gradient per forward argument: x, then none for p and the seed.
        return new List<Tensor> { gradInput, null!, null! };
    }

    /// <summary>
    /// TorchSharp's custom-function node keeps an empty_like copy of every output (to materialise
    /// undefined gradients) for as long as the graph lives: a full-size allocation per layer that
    /// this node never needs (it does not materialise gradients). Free it right after forward.
    /// Looked up by reflection; if TorchSharp changes its internals, this is simply skipped.
    /// </summary>
    private static void ReleaseOutputCache(autograd.AutogradContext? ctx)
    {
        if (ctx is null || ContextNodeField is null) return;
        var node = ContextNodeField.GetValue(ctx);
        if (node is null) return;
        var cacheField = node.GetType().GetField("_outputCache", BindingFlags.Instance | BindingFlags.NonPublic);
        if (cacheField?.GetValue(node) is not List<Tensor> cache) return;
        for (int i = 0; i < cache.Count; i++)
        {
            cache[i]?.Dispose();
            cache[i] = null!;
        }
    }

    private static readonly FieldInfo? ContextNodeField =
        typeof(autograd.AutogradContext).GetField("_node", BindingFlags.Instance | BindingFlags.NonPublic);
}
