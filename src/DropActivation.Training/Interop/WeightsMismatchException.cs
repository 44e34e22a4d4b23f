namespace DropActivation.Training.Interop;

/// <summary>
/// A state dict that does not fit a model: every key the model has and the file lacks, every key the file has
/// and the model lacks, and every tensor whose shape differs, all named in one message.
/// </summary>
public sealed class WeightsMismatchException : IOException
{
    /// <summary>The mismatch between the weights in <paramref name="source"/> and the model.</summary>
    public WeightsMismatchException(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misShaped)
        : base(Describe(source, missing, unexpected, misShaped))
    {
        WeightsSource = source;
        Missing = missing;
        Unexpected = unexpected;
        MisShaped = misShaped;
    }

    /// <summary>Where the weights came from (a file path).</summary>
    public string WeightsSource { get; }

    /// <summary>Keys of the model that the weights lack.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Keys of the weights that the model lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys present in both with different shapes, each as "key: file [shape], model [shape]".</summary>
    public IReadOnlyList<string> MisShaped { get; }

    private static string Describe(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misShaped)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (misShaped.Count > 0) parts.Add($"mis-shaped tensors ({misShaped.Count}): {string.Join("; ", misShaped)}");
        return $"{source}: the weights do not fit the model: {string.Join("; ", parts)}.";
    }
}
