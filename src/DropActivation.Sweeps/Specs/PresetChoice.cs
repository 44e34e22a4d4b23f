namespace DropActivation.Sweeps.Specs;

/// <summary>
/// The training preset of a sweep's runs: none, one for all (<c>"preset": "cifar-resnet"</c>), or one per
/// model (<c>"preset": {"vgg19-bn": "cifar-vgg19-bn", "*": "cifar-resnet"}</c>, "*" for any other model),
/// which is how one spec covers models trained with different recipes (Table 1).
/// </summary>
public sealed record PresetChoice
{
    /// <summary>No preset: <c>dropact train</c> gets none and uses its defaults plus the overrides.</summary>
    public static PresetChoice None { get; } = new();

    /// <summary>The preset of every model, or null.</summary>
    public string? Single { get; init; }

    /// <summary>Presets by model name ("*" for the others), or null.</summary>
    public IReadOnlyDictionary<string, string>? ByModel { get; init; }

    /// <summary>The preset for <paramref name="model"/>, or null for none.</summary>
    /// <exception cref="SweepSpecException">A per-model map has neither the model nor "*".</exception>
    public string? For(string model)
    {
        if (ByModel is null) return Single;
        if (ByModel.TryGetValue(model, out var p) || ByModel.TryGetValue("*", out p)) return p;
        throw new SweepSpecException($"'preset' names no preset for model '{model}' (add \"{model}\": \"...\" or a \"*\" entry)");
    }
}
