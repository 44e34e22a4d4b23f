namespace DropActivation.Training.Optimization;

/// <summary>
/// The learning rate as a pure function of the epoch (nanoGPT style), so a resumed run needs no
/// scheduler state: multi-step (the paper: multiply by gamma at each milestone, bearpaw's convention
/// that milestone m applies from the 0-based epoch m on) or cosine annealing to zero.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>The schedule names accepted by <see cref="At"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "multistep", "cosine", "constant" };

    /// <summary>Learning rate of the 0-based <paramref name="epoch"/>.</summary>
    public static double At(string schedule, double baseLr, int epoch, int epochs, IReadOnlyList<int> milestones, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        switch (schedule.ToLowerInvariant())
        {
            case "multistep":
                int passed = milestones.Count(m => m <= epoch);
                return baseLr * Math.Pow(gamma, passed);
            case "cosine":
                return baseLr * 0.5 * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, epochs)));
            case "constant":
                return baseLr;
            default:
                throw new ArgumentException($"Unknown schedule '{schedule}'. Valid: {string.Join(", ", Names)}.", nameof(schedule));
        }
    }
}
