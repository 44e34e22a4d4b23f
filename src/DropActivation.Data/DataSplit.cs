using DropActivation.Data.Augmentation;

namespace DropActivation.Data;

/// <summary>Deterministic train/validation splits (the paper's p-search holds out 10% of CIFAR-10's training set).</summary>
public static class DataSplit
{
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
