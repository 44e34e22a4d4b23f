using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DropActivation.Training.Interop;

/// <summary>
/// Weights that travel to and from PyTorch: a zoo model's state dict written as PyTorch's <c>.pt</c> (what
/// <c>torch.save(model.state_dict(), f)</c> writes) or safetensors, with the key names of the architecture's
/// reference implementation (torchvision for ResNet-18/34, bearpaw/pytorch-classification for the CIFAR models; see
/// <see cref="ReferenceKeyNames"/>), so <c>model.load_state_dict(torch.load(f), strict=True)</c> works in PyTorch;
/// and such a state dict, saved by PyTorch, read back into a zoo model, with every missing, unexpected or
/// mis-shaped key named in one error. Drop-Activation and RReLU layers hold no weights: a model trained with them
/// loads into the reference definition with ReLU replaced by its test-time form (LeakyReLU(1 − p) for
/// Drop-Activation, what <c>Fold()</c> puts in place).
/// </summary>
public static class PyTorchWeights
{
    /// <summary>Suffix of BatchNorm's batch counter, which state dicts of PyTorch before 0.4.1 lack.</summary>
    private const string BatchCounter = ".num_batches_tracked";

    /// <summary>Our state-dict key → the reference implementation's key, for every entry of <paramref name="model"/>'s state dict.</summary>
    public static IReadOnlyDictionary<string, string> ReferenceKeyNames(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ReferenceKeys.For(model);
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s state dict (parameters and buffers, on the CPU, under the reference's key names)
    /// to <paramref name="path"/> in <paramref name="format"/>; returns the number of tensors written.
    /// </summary>
    public static int Save(nn.Module model, string path, WeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var names = ReferenceKeys.For(model);
        using var scope = torch.NewDisposeScope();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in model.state_dict()) state[names[key]] = tensor.detach().cpu().contiguous();
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        // Written beside the target and moved over it: a failed export never leaves half a file under the real name.
        var tmp = path + ".partial";
        try
        {
            if (format == WeightFormat.PyTorch) PyTorchPickler.PickleStateDict(tmp, state);
            else Safetensors.SaveStateDict(tmp, state);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return state.Count;
    }

    /// <summary>
    /// Reads a state dict written by PyTorch (<c>torch.save</c>, zip format) or in safetensors, the format told by the
    /// file's first bytes. A saved dict that holds the state dict under <c>"state_dict"</c> (as training scripts such as
    /// bearpaw's save them) gives that inner dict, and a <c>module.</c> prefix on every key (from <c>nn.DataParallel</c>) is dropped.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Neither format, or not a dict of tensors (the message names the file).</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = WeightFormats.Detect(path);
        Dictionary<string, Tensor> state;
        try
        {
            if (format == WeightFormat.PyTorch) PickleCheck.Check(path);
            state = format == WeightFormat.SafeTensors
                ? Safetensors.LoadStateDict(path)
                : FromPickled(PyTorchUnpickler.UnpickleStateDict(path), path);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // The zip and pickle readers' own errors (InvalidDataException among them) do not name the file.
            throw new InvalidDataException($"{path}: cannot read the {(format == WeightFormat.PyTorch ? "PyTorch" : "safetensors")} file: {e.Message}", e);
        }
        if (state.Count > 0 && state.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal)))
            state = state.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value, StringComparer.Ordinal);
        return state;
    }

    /// <summary>Loads the PyTorch state dict at <paramref name="path"/> (see <see cref="Read"/>) into <paramref name="model"/>.</summary>
    /// <exception cref="WeightsMismatchException">Missing, unexpected or mis-shaped keys (all named).</exception>
    public static void Load(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var state = Read(path);
        try
        {
            Load(model, state, path);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Copies <paramref name="state"/>, keyed by the reference implementation's names, into <paramref name="model"/>'s
    /// parameters and buffers (converting the element type where it differs, as PyTorch's <c>load_state_dict</c> does).
    /// Nothing is copied unless every key fits. Only BatchNorm's <c>num_batches_tracked</c> counters may be absent
    /// (PyTorch before 0.4.1 did not save them; they count batches and change no output); the model keeps its own.
    /// </summary>
    /// <param name="model">The model to fill.</param>
    /// <param name="state">The weights, by reference key.</param>
    /// <param name="source">Where they came from, for the error message.</param>
    /// <exception cref="WeightsMismatchException">Missing, unexpected or mis-shaped keys (all named).</exception>
    public static void Load(nn.Module model, IReadOnlyDictionary<string, Tensor> state, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        var names = ReferenceKeys.For(model);
        var target = model.state_dict();
        var missing = new List<string>();
        var misShaped = new List<string>();
        foreach (var (key, tensor) in target)
        {
            string reference = names[key];
            if (!state.TryGetValue(reference, out var src))
            {
                if (!reference.EndsWith(BatchCounter, StringComparison.Ordinal)) missing.Add(reference);
                continue;
            }
            if (!src.shape.SequenceEqual(tensor.shape))
                misShaped.Add($"{reference}: file [{string.Join(", ", src.shape)}], model [{string.Join(", ", tensor.shape)}]");
        }
        var known = names.Values.ToHashSet(StringComparer.Ordinal);
        var unexpected = state.Keys.Where(k => !known.Contains(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || misShaped.Count > 0)
            throw new WeightsMismatchException(source, missing, unexpected, misShaped);
        using var noGrad = torch.no_grad();
        foreach (var (key, tensor) in target)
            if (state.TryGetValue(names[key], out var src)) tensor.copy_(src);
    }

    private static Dictionary<string, Tensor> FromPickled(Hashtable table, string path)
    {
        if (table["state_dict"] is Hashtable inner && !table.Values.OfType<Tensor>().Any()) table = inner;
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
                throw new InvalidDataException($"{path}: not a state dict: entry '{entry.Key}' is {entry.Value?.GetType().Name ?? "null"}, not a tensor.");
            state[key] = tensor;
        }
        return state;
    }
}
