namespace DropActivation.Models.Registry;

/// <summary>
/// What a listing of the zoo shows for one model: its registry facts, the parameter count for each class
/// count (10 and 100 for every classifier, 1000 added for ImageNet models; the MLP's single output),
/// and its number of activation layers.
/// </summary>
/// <param name="Name">Registry name.</param>
/// <param name="Family">Architecture family.</param>
/// <param name="Description">One line.</param>
/// <param name="Input">Default input shape: channels, height, width (features for the MLP).</param>
/// <param name="Stages">Stage names, first to last.</param>
/// <param name="ActivationLayers">Number of activation layers.</param>
/// <param name="Parameters">Parameter count by number of classes (outputs).</param>
/// <param name="Dropout">Default dropout, null where the model has none.</param>
/// <param name="Reference">Reference implementation.</param>
public sealed record ModelSummary(
    string Name,
    string Family,
    string Description,
    IReadOnlyList<int> Input,
    IReadOnlyList<string> Stages,
    int ActivationLayers,
    IReadOnlyDictionary<int, long> Parameters,
    double? Dropout,
    string Reference)
{
    /// <summary>Builds the model once at its default config and summarises it.</summary>
    /// <exception cref="ArgumentException">Unknown or malformed name.</exception>
    public static ModelSummary Of(string name)
    {
        var info = ModelRegistry.Describe(name);
        var config = info.DefaultConfig();
        using var model = ModelRegistry.Create(name, config);
        IEnumerable<int> classCounts = info.TakesFeatures ? info.ClassCounts : new[] { 10, 100 }.Union(info.ClassCounts).Order();
        var parameters = classCounts.ToDictionary(c => c, model.ParameterCount);
        int[] input = info.InputShape(config).Select(d => (int)d).ToArray();
        return new ModelSummary(info.Name, info.Family, info.Description, input, info.Stages,
            ModelRegistry.ActivationLayers(model).Count, parameters, info.DefaultDropout, info.Reference);
    }
}
