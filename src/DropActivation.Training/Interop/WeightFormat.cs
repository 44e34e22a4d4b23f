namespace DropActivation.Training.Interop;

/// <summary>File formats of a PyTorch state dict that <see cref="PyTorchWeights"/> writes and reads.</summary>
public enum WeightFormat
{
    /// <summary><c>torch.save(model.state_dict(), f)</c>'s zip format (<c>.pt</c>, <c>.pth</c>); <c>torch.load</c> reads it.</summary>
    PyTorch,

    /// <summary>The safetensors format (<c>.safetensors</c>): a JSON header and raw little-endian tensors, no pickle.</summary>
    SafeTensors,
}

/// <summary>Names and detection of <see cref="WeightFormat"/>s.</summary>
public static class WeightFormats
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public const string Names = "pytorch, safetensors";

    /// <summary>The format called <paramref name="name"/> (<c>pytorch</c>/<c>pt</c> or <c>safetensors</c>, any case).</summary>
    /// <exception cref="ArgumentException">Any other name (the message lists the valid ones).</exception>
    public static WeightFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "pytorch" or "pt" or "torch" => WeightFormat.PyTorch,
        "safetensors" => WeightFormat.SafeTensors,
        _ => throw new ArgumentException($"Unknown weight format '{name}'. Valid: {Names}."),
    };

    /// <summary>
    /// The format of the file at <paramref name="path"/>, from its first bytes: a zip archive is PyTorch's format,
    /// an 8-byte length followed by a JSON object is safetensors.
    /// </summary>
    /// <exception cref="InvalidDataException">Neither (the message names the file and what it looks like instead).</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static WeightFormat Detect(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such weights file.", path);
        Span<byte> head = stackalloc byte[9];
        int n;
        using (var f = File.OpenRead(path)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4) return WeightFormat.PyTorch;
        if (n == 9 && head[8] == (byte)'{' && BitConverter.ToUInt64(head[..8]) < (ulong)new FileInfo(path).Length) return WeightFormat.SafeTensors;
        if (n >= 2 && head[0] == 0x80 && head[1] <= 5)
            throw new InvalidDataException($"{path}: a PyTorch file in the legacy (pre-1.6) pickle format; re-save it with torch.save(state_dict, f) from PyTorch 1.6 or later.");
        throw new InvalidDataException($"{path}: neither a PyTorch state dict (.pt, a zip archive) nor a safetensors file.");
    }
}
