namespace DropActivation.Sweeps.Specs;

/// <summary>
/// One <c>dropact train</c> option that a sweep sets for every run, e.g. <c>--epochs 1</c>
/// (<see cref="Values"/> = ["1"]), <c>--cutout</c> (no values) or <c>--dropact-stages layer3 layer4</c>.
/// </summary>
/// <param name="Name">The option name without dashes, as in the spec ("epochs", "batch-size").</param>
/// <param name="Values">The tokens that follow the option; empty for a switch.</param>
public sealed record TrainOverride(string Name, IReadOnlyList<string> Values)
{
    /// <summary>The command-line tokens: <c>--name value...</c>.</summary>
    public IEnumerable<string> Tokens => Values.Prepend("--" + Name);
}
