namespace DropActivation.Data.Tests;

public class LoaderTests
{
    private static ImageDataset Numbered(int n)
    {
        var all = new byte[n * 3072];
        for (int i = 0; i < n; i++) all.AsSpan(i * 3072, 3072).Fill((byte)(i % 251));
        return new ImageDataset("numbered", torch.tensor(all, [n, 3, 32, 32]), Enumerable.Range(0, n).Select(i => (long)(i % 10)).ToArray(),
            Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
    }

    [Fact]
    public void Epoch_visits_every_sample_once_in_a_seeded_order_with_matching_labels()
    {
        using var ds = Numbered(250);
        using var loader = new DataLoader(ds, Augmentations.Train(DataSets.Get("cifar10")), 32, seed: 9, workers: 2);
        Assert.Equal(8, loader.BatchesPerEpoch);
        var seen = new List<int>();
        foreach (var b in loader.GetEpoch(3))
            using (b)
            {
                Assert.Equal([b.Size, 3L, 32, 32], b.Images.shape);
                Assert.Equal(b.Indices.Select(i => (long)(i % 10)), b.Labels.data<long>().ToArray());
                seen.AddRange(b.Indices);
            }
        Assert.Equal(Enumerable.Range(0, 250), seen.Order());
        Assert.Equal(loader.Order(3), seen);
        Assert.Equal(loader.Order(3), new DataLoader(ds, loader.Pipeline, 32, seed: 9).Order(3)); // a resumed run sees the same order
        Assert.NotEqual(loader.Order(3), loader.Order(4));
        Assert.NotEqual(loader.Order(3), new DataLoader(ds, loader.Pipeline, 32, seed: 10).Order(3));
        using var dl = new DataLoader(ds, loader.Pipeline, 32, dropLast: true);
        Assert.Equal(7, dl.GetEpoch(0).Count(b => { b.Dispose(); return true; }));
    }

    [Fact]
    public void Augmentation_does_not_depend_on_the_number_of_threads()
    {
        using var ds = Numbered(64);
        var p = Augmentations.Train(DataSets.Get("cifar10"), AugmentExtras.Cutout | AugmentExtras.AutoAugment);
        float[] Run(int workers)
        {
            using var l = new DataLoader(ds, p, 20, seed: 4, workers: workers);
            return l.GetEpoch(1).SelectMany(b => { using (b) return b.Images.data<float>().ToArray(); }).ToArray();
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void Channels_last_batches_hold_the_same_values_in_nhwc_memory_order()
    {
        var bytes = new byte[40 * 3072];
        new Random(3).NextBytes(bytes);
        using var ds = new ImageDataset("random", torch.tensor(bytes, [40, 3, 32, 32]), new long[40], ["only"]);
        var p = Augmentations.Train(DataSets.Get("cifar10"));
        using var standard = new DataLoader(ds, p, 16, seed: 2, workers: 2);
        using var nhwc = new DataLoader(ds, p, 16, seed: 2, workers: 2) { ChannelsLast = true };
        foreach (var (a, b) in standard.GetEpoch(1).Zip(nhwc.GetEpoch(1)))
            using (a)
            using (b)
            {
                Assert.Equal(a.Images.shape, b.Images.shape);
                Assert.Equal(new long[] { 3 * 32 * 32, 1, 32 * 3, 3 }, b.Images.stride());
                Assert.True(a.Images.equal(b.Images).all().item<bool>());
            }
    }

    [Fact]
    public void Breaking_out_early_stops_the_producer()
    {
        using var ds = Numbered(500);
        using var loader = new DataLoader(ds, Augmentations.Train(DataSets.Get("cifar10")), 10, workers: 2, prefetch: 3);
        int n = 0;
        foreach (var b in loader.GetEpoch(0)) { b.Dispose(); if (++n == 2) break; }
        Assert.Equal(2, n);
        // The loader is reusable afterwards.
        Assert.Equal(50, loader.GetEpoch(1).Count(b => { b.Dispose(); return true; }));
    }

    [Fact]
    public void Split_90_10_is_stratified_disjoint_and_seeded()
    {
        using var ds = Numbered(1000);
        var (train, val) = DataSplit.TrainValidation(ds, 0.1, 42);
        Assert.Equal(900, train.Count);
        Assert.Equal(100, val.Count);
        Assert.Empty(train.Indices.Intersect(val.Indices));
        var perClass = new int[10];
        for (int i = 0; i < val.Count; i++) perClass[val.GetLabel(i)]++;
        Assert.All(perClass, c => Assert.Equal(10, c));
        Assert.Equal(val.Indices, DataSplit.TrainValidation(ds, 0.1, 42).Validation.Indices);
        Assert.NotEqual(val.Indices, DataSplit.TrainValidation(ds, 0.1, 43).Validation.Indices);
        using var loader = new DataLoader(train, Augmentations.Train(DataSets.Get("cifar10")), 100);
        Assert.Equal(9, loader.BatchesPerEpoch);
    }

    [Fact]
    public void A_per_class_subset_has_exactly_that_many_of_every_class_fixed_by_the_seed()
    {
        using var ds = Numbered(1000);   // 100 images of each of 10 classes
        var subset = DataSplit.PerClass(ds, 30, seed: 7);
        Assert.Equal(300, subset.Count);
        var perClass = new int[10];
        for (int i = 0; i < subset.Count; i++) perClass[subset.GetLabel(i)]++;
        Assert.All(perClass, c => Assert.Equal(30, c));
        Assert.Equal(subset.Indices, subset.Indices.Order());                        // in source order
        Assert.Equal(subset.Indices, DataSplit.PerClass(ds, 30, seed: 7).Indices);   // same seed, same images
        Assert.NotEqual(subset.Indices, DataSplit.PerClass(ds, 30, seed: 8).Indices);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.PerClass(ds, 101, seed: 7));
        Assert.Contains("has 100 images, fewer than the 101 per class", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.PerClass(ds, 0, seed: 7));
    }
}
