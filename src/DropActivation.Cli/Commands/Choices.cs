using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training.Presets;

namespace DropActivation.Cli.Commands;

/// <summary>
/// The valid names of models, data sets and presets for help texts and errors, and turns the libraries'
/// argument errors (unknown names, bad values) into usage errors that list the valid choices
/// (train, eval, data, models, sweep-p, shift-ratio, timing).
/// </summary>
internal static class Choices
{
    public static string Models => $"{string.Join(", ", ModelRegistry.Names)} (or the parametric forms in 'dropact models')";
    public static string Activations => string.Join(", ", ActivationFactory.Names);
    public static string Datasets => string.Join(", ", DataSets.All.Select(d => d.Name));
    public static string Presets => string.Join(", ", PresetCatalog.Names);

    /// <summary>Runs <paramref name="action"/>, rethrowing an <see cref="ArgumentException"/> as a <see cref="UsageError"/> (exit code 2).</summary>
    public static T Usage<T>(Func<T> action)
    {
        try { return action(); }
        catch (ArgumentException e) { throw new UsageError(CliOutput.CleanMessage(e)); }
    }
}
