using System.Reflection;
using static TorchSharp.torch;

namespace DropActivation.Kernels;

/// <summary>
/// What the fast kernels' custom autograd functions do around TorchSharp's
/// <c>SingleTensorFunction</c> so that memory stays flat (each measured on PreResNet-20):
/// <list type="bullet">
/// <item>The gradient a backward returns sits in a wrapper that TorchSharp never disposes and no
/// dispose scope owns: it stayed resident until finalisation (+30–40 MB per step). Once a backward
/// has returned, libtorch holds its own reference, so the wrapper is released on the next call on
/// the same thread (<see cref="HandBack"/>, <see cref="ReleaseHandedBack"/>).</item>
/// <item>The node keeps an <c>empty_like</c> copy of every output to materialise undefined
/// gradients: a full-size allocation per layer. The functions do not materialise gradients, so it
/// is freed right after forward (<see cref="AfterApply"/>).</item>
/// <item>The output handed back by <c>apply</c> belongs to no dispose scope; an alias made in the
/// caller's scope replaces it.</item>
/// <item>An output kept through <c>save_for_backward</c> links back to its own node; a detached
/// alias is saved instead (<see cref="KeepOutput"/>). It is saved through <c>save_for_backward</c>
/// all the same, not as plain data: the node's saved variables go with the node, so a forward
/// that is never followed by backward frees its output with the graph (kept as data, 150 such
/// forwards of a 4 MB layer held 600 MB until the garbage collector ran).</item>
/// </list>
/// </summary>
internal static class FunctionHygiene
{
    [ThreadStatic] private static List<Tensor>? _handedBack;
    [ThreadStatic] private static autograd.AutogradContext? _lastContext;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, FieldInfo?> OutputCacheFields = new();

    private static readonly FieldInfo? ContextNodeField =
        typeof(autograd.AutogradContext).GetField("_node", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Called at the start of forward: remembers the context, stops gradient materialisation.</summary>
    public static void OnForward(autograd.AutogradContext ctx)
    {
        if (!_checked) WarnOnceIfInternalsMoved();
        ctx.set_materialize_grads(false);
        _lastContext = ctx;
    }

    /// <summary>Called by the caller of <c>apply</c>: frees the node's output cache and re-homes the output.</summary>
    public static Tensor AfterApply(Tensor wrapped)
    {
        ReleaseOutputCache(_lastContext);
        _lastContext = null;
        var y = wrapped.alias();
        wrapped.Dispose();
        return y;
    }

    /// <summary>Saves a detached alias of the output for backward, as a saved variable of the node.</summary>
    public static void KeepOutput(autograd.AutogradContext ctx, Tensor output) =>
        ctx.save_for_backward(new List<Tensor> { output.detach() });

    /// <summary>
    /// The output kept by <see cref="KeepOutput"/> (a fresh wrapper; the caller disposes it). With
    /// <paramref name="release"/> (the pass does not keep its graph), the node's own saved reference
    /// is released at once: TorchSharp would hold it until the whole graph goes, and each step's
    /// allocations would then land on fresh pages (thousands of extra page faults per PreResNet-20
    /// step, measured). Unpacking checks the saved version: an output changed in place since
    /// forward raises libtorch's "modified by an inplace operation" error here.
    /// </summary>
    public static Tensor TakeOutput(autograd.AutogradContext ctx, bool release)
    {
        var saved = ctx.get_saved_variables();
        if (saved.Count == 0)
            throw new InvalidOperationException("The saved output of this node was already released: its graph was freed by an earlier backward pass. Pass retain_graph: true to the first backward to run it twice.");
        var output = saved[0];
        if (release && SavedVariablesField?.GetValue(ctx) is System.Collections.IList list)
        {
            foreach (var variable in list) (variable as IDisposable)?.Dispose();
            list.Clear();
        }
        return output;
    }

    private static readonly FieldInfo? SavedVariablesField =
        typeof(autograd.AutogradContext).GetField("_savedVariables", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Records a gradient returned to libtorch, to be released on the next call on this thread.</summary>
    public static Tensor HandBack(Tensor gradient)
    {
        (_handedBack ??= new List<Tensor>()).Add(gradient);
        return gradient;
    }

    /// <summary>Releases the wrappers of gradients that earlier backward calls on this thread returned.</summary>
    public static void ReleaseHandedBack()
    {
        if (_handedBack is not { Count: > 0 } list) return;
        foreach (var t in list) t.Dispose();
        list.Clear();
    }

    private static volatile bool _checked;

    /// <summary>
    /// The TorchSharp internals these fixes reach by reflection that this TorchSharp lacks (empty
    /// when all are there). A TorchSharp that renames them still works, with the memory behaviour
    /// the fixes remove; a test fails on it and the first forward prints one warning.
    /// </summary>
    internal static IReadOnlyList<string> MissingInternals()
    {
        var missing = new List<string>();
        if (ContextNodeField is null) missing.Add("AutogradContext._node");
        if (SavedVariablesField is null) missing.Add("AutogradContext._savedVariables");
        var nodeType = typeof(autograd.AutogradContext).Assembly.GetType("TorchSharp.torch+autograd+Node`1");
        if (nodeType?.GetField("_outputCache", BindingFlags.Instance | BindingFlags.NonPublic)?.FieldType != typeof(List<Tensor>))
            missing.Add("Node<T>._outputCache (List<Tensor>)");
        return missing;
    }

    private static void WarnOnceIfInternalsMoved()
    {
        _checked = true;
        var missing = MissingInternals();
        if (missing.Count > 0)
            Console.Error.WriteLine($"warning: DropActivation's memory fixes for TorchSharp custom functions are off: this TorchSharp has no {string.Join(", ", missing)}. " +
                "Results are unaffected; memory per training step is higher. Please report the TorchSharp version.");
    }

    private static void ReleaseOutputCache(autograd.AutogradContext? ctx)
    {
        if (ctx is null || ContextNodeField?.GetValue(ctx) is not { } node) return;
        var cacheField = OutputCacheFields.GetOrAdd(node.GetType(), static t => t.GetField("_outputCache", BindingFlags.Instance | BindingFlags.NonPublic));
        if (cacheField?.GetValue(node) is not List<Tensor> cache) return;
        for (int i = 0; i < cache.Count; i++)
        {
            cache[i]?.Dispose();
            cache[i] = null!;
        }
    }
}
