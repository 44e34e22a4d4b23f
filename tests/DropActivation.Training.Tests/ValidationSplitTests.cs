namespace DropActivation.Training.Tests;

/// <summary>The p-search setting of the paper: a held-out part of the training set, no augmentation.</summary>
public class ValidationSplitTests
{
    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz")]
    public void A_validation_split_holds_out_a_stratified_tenth_of_the_training_set_instead_of_the_test_set()
    {
        using var data = RunData.Load("fashion-mnist", RealData.Root, validationSplit: 0.1, splitSeed: 5);
        Assert.Equal(54_000, data.Train.Count);
        Assert.Equal(6_000, data.Test.Count);
        // Stratified: 600 of each of the 10 classes (Fashion-MNIST has 6,000 per class).
        var perClass = Enumerable.Range(0, data.Test.Count).GroupBy(i => data.Test.GetLabel(i)).Select(g => g.Count()).ToArray();
        Assert.Equal(10, perClass.Length);
        Assert.All(perClass, c => Assert.Equal(600, c));

        using var other = RunData.Load("fashion-mnist", RealData.Root, validationSplit: 0.1, splitSeed: 6);
        var a = Enumerable.Range(0, 50).Select(i => data.Test.GetLabel(i)).ToArray();
        var b = Enumerable.Range(0, 50).Select(i => other.Test.GetLabel(i)).ToArray();
        Assert.NotEqual(a, b); // another seed, another split
    }

    [Fact]
    public void Out_of_range_splits_and_no_augment_with_cutout_are_rejected()
    {
        foreach (var bad in new[] { 0.0, 1.0, -0.1, double.NaN })
            Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10", Activation = "dropact", P = 0.95,
                ValidationSplit = bad }));
        var e = Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10", Activation = "dropact", P = 0.95,
            Cutout = true, NoAugment = true }));
        Assert.Contains("--no-augment", e.Message);
        var ok = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10", Activation = "dropact", P = 0.9, ValidationSplit = 0.1, NoAugment = true });
        Assert.Equal((0.1, false), (ok.ValidationSplit, ok.Augment));
    }
}
