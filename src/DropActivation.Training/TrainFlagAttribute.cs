namespace DropActivation.Training;

/// <summary>
/// Marks a <see cref="TrainOverrides"/> property as an option of <c>dropact train</c> (and so a key of a sweep spec's
/// "overrides"): its <paramref name="Name"/> on the command line (e.g. "--epochs") and one line of <paramref name="Help"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TrainFlagAttribute(string Name, string Help) : Attribute
{
    /// <summary>The option, e.g. "--epochs".</summary>
    public string Name { get; } = Name;

    /// <summary>One line of help.</summary>
    public string Help { get; } = Help;
}
