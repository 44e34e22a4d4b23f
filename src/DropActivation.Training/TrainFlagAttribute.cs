namespace DropActivation.Training;

/// <summary>
/// Marks a <see cref="TrainOverrides"/> property as an option of <c>dropact train</c> (and so a key of a sweep spec's
/// "overrides"): its name on the command line and its help text. The command line builds its options from these.
/// </summary>
/// <param name="name">The option, e.g. "--epochs".</param>
/// <param name="help">One line of help.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TrainFlagAttribute(string name, string help) : Attribute
{
    /// <summary>The option, e.g. "--epochs".</summary>
    public string Name { get; } = name;

    /// <summary>One line of help.</summary>
    public string Help { get; } = help;
}
