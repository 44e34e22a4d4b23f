using DropActivation.Data.Augmentation;

namespace DropActivation.Data;

/// <summary>
/// Deterministic subsets and train/validation splits, the one place that picks images out of a data
/// set: a training run's fixed subsets (<see cref="Subset"/>), the analyses' stratified subsets
/// (<see cref="StratifiedSubset"/>) and the p-search's held-out 10 % (<see cref="TrainValidation"/>).
/// </summary>
public static class DataSplit
{
    /// <summary>Seed of <see cref="Subset"/>: the same images for every run seed, so runs stay comparable.</summary>
    public const ulong SubsetSeed = 0x5B5E7_DA7A;

    /// <summary>Seed of <see cref="StratifiedSubset"/>: the same images for every analysis and run seed.</summary>
    public const ulong StratifiedSubsetSeed = 0x5_0_5_3_3_E_E_B;

    /// <summary>
    /// A fixed random subset of <paramref name="count"/> images (in source order), the same for every
    /// call; the whole source when <paramref name="count"/> is null or not smaller than it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static IDataSource Subset(IDataSource source, int? count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (count is not { } n || n >= source.Count) return source;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(count), n, "a subset needs at least one image");
        var order = Enumerable.Range(0, source.Count).ToArray();
        var rng = new AugmentRandom(SubsetSeed);
        rng.Shuffle(order.AsSpan());
        var chosen = order.AsSpan(0, n).ToArray();
        Array.Sort(chosen);
        return new SubsetSource(source, chosen, $"{source.Name}[{n}]");
    }

    /// <summary>
    /// A fixed subset of about <paramref name="count"/> images stratified by class (the validation part of
    /// a <see cref="TrainValidation"/> split with fraction count/N and <see cref="StratifiedSubsetSeed"/>);
    /// the whole source when <paramref name="count"/> is null or not smaller than it.
    /// </summary>
    public static IDataSource StratifiedSubset(IDataSource source, int? count)
    {
        ArgumentNullException.ThrowIfNull(source);
        return count is { } n && n < source.Count
            ? TrainValidation(source, (double)n / source.Count, StratifiedSubsetSeed).Validation
            : source;
    }

    /// <summary>
    /// Exactly <paramref name="perClass"/> images of every class, chosen by <paramref name="seed"/> (within each class a
    /// permutation drawn from the seed; its first <paramref name="perClass"/> members), in source order: the same seed
    /// always gives the same images, another seed others.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perClass"/> is below 1, or a class has fewer images.</exception>
    public static SubsetSource PerClass(IDataSource source, int perClass, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (perClass < 1) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "a stratified subset needs at least one image per class");
        var byClass = new List<int>[source.ClassNames.Count];
        for (int c = 0; c < byClass.Length; c++) byClass[c] = [];
        for (int i = 0; i < source.Count; i++) byClass[source.GetLabel(i)].Add(i);
        var chosen = new List<int>(perClass * byClass.Length);
        for (int c = 0; c < byClass.Length; c++)
        {
            if (byClass[c].Count < perClass)
                throw new ArgumentOutOfRangeException(nameof(perClass), perClass,
                    $"{source.Name}: class '{source.ClassNames[c]}' has {byClass[c].Count} images, fewer than the {perClass} per class asked for");
            var members = byClass[c].ToArray();
            AugmentRandom.For(seed, 0x9e7c_1a55, (ulong)c).Shuffle(members);
            chosen.AddRange(members.AsSpan(0, perClass));
        }
        chosen.Sort();
        return new SubsetSource(source, chosen.ToArray(), $"{source.Name}[{perClass}/class]");
    }

    /// <summary>
    /// Splits <paramref name="source"/> into a training and a validation part, stratified by class:
    /// within each class a permutation drawn from <paramref name="seed"/> sends round(fraction·n_c)
    /// samples to validation. The same seed always gives the same split.
    /// </summary>
    public static (SubsetSource Train, SubsetSource Validation) TrainValidation(IDataSource source, double validationFraction, ulong seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must lie strictly between 0 and 1");
        var byClass = new List<int>[source.ClassNames.Count];
        for (int c = 0; c < byClass.Length; c++) byClass[c] = new List<int>();
        for (int i = 0; i < source.Count; i++) byClass[source.GetLabel(i)].Add(i);
        var train = new List<int>(source.Count);
        var val = new List<int>((int)(source.Count * validationFraction) + byClass.Length);
        for (int c = 0; c < byClass.Length; c++)
        {
            var members = byClass[c].ToArray();
            var rng = AugmentRandom.For(seed, 0x5eed_5b11, (ulong)c);
            rng.Shuffle(members);
            int nVal = (int)Math.Round(members.Length * validationFraction);
            val.AddRange(members.AsSpan(0, nVal));
            train.AddRange(members.AsSpan(nVal));
        }
        train.Sort();
        val.Sort();
        return (new SubsetSource(source, train.ToArray(), source.Name + "/train-part"),
                new SubsetSource(source, val.ToArray(), source.Name + "/validation-part"));
    }
}
