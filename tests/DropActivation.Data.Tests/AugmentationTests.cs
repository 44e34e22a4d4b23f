namespace DropActivation.Data.Tests;

public class AugmentationTests
{
    /// <summary>A data set of <paramref name="n"/> copies of one structured 32×32 RGB image.</summary>
    internal static ImageDataset Identical(int n, int classes = 10)
    {
        var one = new byte[3072];
        for (int c = 0; c < 3; c++) for (int r = 0; r < 32; r++) for (int x = 0; x < 32; x++) one[c * 1024 + r * 32 + x] = (byte)(40 + r * 5 + x * 2 + c * 10);
        var all = new byte[n * 3072];
        for (int i = 0; i < n; i++) one.CopyTo(all, i * 3072);
        return new ImageDataset("identical", torch.tensor(all, [n, 3, 32, 32]), Enumerable.Range(0, n).Select(i => (long)(i % classes)).ToArray(),
            Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray());
    }

    private static float[][] Images(Batch b)
    {
        var all = b.Images.data<float>().ToArray();
        int per = all.Length / b.Size;
        return Enumerable.Range(0, b.Size).Select(i => all.AsSpan(i * per, per).ToArray()).ToArray();
    }

    [Fact]
    public void Crops_and_flips_differ_between_identical_images_of_one_batch()
    {
        using var ds = Identical(64);
        var crop = new AugmentPipeline([new RandomCrop(32, 4)], Normalization.UnitRange);
        using var loader = new DataLoader(ds, crop, 64, seed: 1);
        using var batch = loader.LoadBatch(Enumerable.Range(0, 64).ToArray());
        var imgs = Images(batch);
        // Recover each image's offset from the first interior pixel, whose value encodes row and column.
        var offsets = new HashSet<(int, int)>();
        foreach (var im in imgs)
        {
            int v = (int)Math.Round(im[16 * 32 + 16] * 255) - 40;
            offsets.Add((v / 5, v % 5));
        }
        Assert.True(offsets.Count >= 15, $"only {offsets.Count} distinct crops in 64 images");

        var flip = new AugmentPipeline([new RandomHorizontalFlip()], Normalization.UnitRange);
        using var fl = new DataLoader(ds, flip, 64, seed: 1);
        using var fb = fl.LoadBatch(Enumerable.Range(0, 64).ToArray());
        int flipped = Images(fb).Count(im => im[0] > im[31]);
        Assert.InRange(flipped, 16, 48);
    }

    [Fact]
    public void Pad_crop_is_exact_and_pads_with_zero()
    {
        var img = new ImageBuffer();
        var px = img.Reset(1, 4, 4);
        for (int i = 0; i < 16; i++) px[i] = (byte)(i + 1);
        RandomCrop.Crop(img, -1, 2, 4, 4, 0);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 3, 4, 0, 0, 7, 8, 0, 0, 11, 12, 0, 0 }, img.Pixels.ToArray());
        RandomHorizontalFlip.Flip(img);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 4, 3, 0, 0, 8, 7, 0, 0, 12, 11 }, img.Pixels.ToArray());
    }

    [Fact]
    public void Augmentation_facts_come_from_the_data_sets_records()
    {
        Assert.Equal(new int?[] { 16, 8, 20 }, new[] { "cifar10", "cifar100", "svhn" }.Select(n => DataSets.Get(n).Augment.CutoutLength));
        Assert.Equal(["svhn"], DataSets.All.Where(d => d.Augment.UnitRange).Select(d => d.Name));
        var e = Assert.Throws<ArgumentException>(() => Augmentations.AutoAugmentPolicyFor("mnist"));
        Assert.Contains("cifar10, cifar100, svhn have one", e.Message);
    }

    [Fact]
    public void Cutout_holes_differ_between_images_and_have_the_paper_length()
    {
        using var ds = Identical(32);
        var p = Augmentations.Train(DataSets.Get("cifar10"), AugmentExtras.Cutout);
        Assert.Equal(16, p.Cutout!.Length);
        Assert.Equal(8, Augmentations.Train(DataSets.Get("cifar100"), AugmentExtras.Cutout).Cutout!.Length);
        Assert.Equal(20, Augmentations.Train(DataSets.Get("svhn"), AugmentExtras.Cutout).Cutout!.Length);
        var only = new AugmentPipeline([], Normalization.UnitRange, new Cutout(1, 16));
        using var loader = new DataLoader(ds, only, 32, seed: 5);
        using var batch = loader.LoadBatch(Enumerable.Range(0, 32).ToArray());
        var masks = Images(batch).Select(im => string.Concat(im.Take(1024).Select(v => v == 0 ? '1' : '0'))).ToArray();
        Assert.True(masks.Distinct().Count() >= 30, "cutout holes repeat across images");
        foreach (var m in masks)
        {
            int zeros = m.Count(ch => ch == '1');
            Assert.InRange(zeros, 1, 256); // a 16×16 hole, clipped at the border
        }
        Assert.Contains(masks, m => m.Count(ch => ch == '1') == 256);
    }

    [Fact]
    public void AutoAugment_applies_different_sub_policies_across_a_batch()
    {
        foreach (var policy in new[] { AutoAugmentPolicy.Cifar10, AutoAugmentPolicy.Svhn })
        {
            var aa = new AutoAugment(policy);
            Assert.Equal(25, aa.SubPolicies.Count);
            var chosen = new HashSet<int>();
            var outputs = new HashSet<string>();
            using var ds = Identical(1);
            for (int i = 0; i < 128; i++)
            {
                var buf = new ImageBuffer();
                ds.ReadImage(0, buf);
                var rng = AugmentRandom.For(11, 0, (ulong)i);
                aa.Apply(buf, ref rng, out int sub);
                chosen.Add(sub);
                outputs.Add(Convert.ToBase64String(buf.Pixels));
            }
            Assert.True(chosen.Count >= 20, $"{policy}: only {chosen.Count} sub-policies in 128 images");
            Assert.True(outputs.Count >= 30, $"{policy}: only {outputs.Count} distinct results");
        }
        // Through the loader too: identical inputs, differing outputs.
        using var many = Identical(32);
        using var loader = new DataLoader(many, new AugmentPipeline([new AutoAugment(AutoAugmentPolicy.Cifar10)], Normalization.UnitRange), 32, seed: 2);
        using var batch = loader.LoadBatch(Enumerable.Range(0, 32).ToArray());
        Assert.True(Images(batch).Select(im => string.Join(",", im)).Distinct().Count() >= 10);
    }

    [Fact]
    public void Pillow_point_operations_match_their_definitions()
    {
        var img = new ImageBuffer();
        var px = img.Reset(1, 1, 8);
        byte[] src = [10, 20, 30, 40, 50, 200, 220, 250];
        src.CopyTo(px);
        ImageOps.Invert(img);
        Assert.Equal(src.Select(v => (byte)(255 - v)), img.Pixels.ToArray());
        src.CopyTo(img.Pixels);
        ImageOps.Solarize(img, 128);
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 55, 35, 5 }, img.Pixels.ToArray());
        src.CopyTo(img.Pixels);
        ImageOps.Posterize(img, 4);
        Assert.Equal(src.Select(v => (byte)(v & 0xF0)), img.Pixels.ToArray());
        src.CopyTo(img.Pixels);
        ImageOps.AutoContrast(img);
        Assert.Equal(0, img.Pixels[0]);
        Assert.Equal(255, img.Pixels[7]);
        Assert.Equal((byte)(int)((50 - 10) * (255.0 / 240)), img.Pixels[4]);
        src.CopyTo(img.Pixels);
        ImageOps.Equalize(img);
        // Pillow: step = (8 - 1) / 255 = 0 → identity for 8 distinct pixels.
        Assert.Equal(src, img.Pixels.ToArray());
        src.CopyTo(img.Pixels);
        ImageOps.Brightness(img, 1.5);
        Assert.Equal(src.Select(v => (byte)Math.Min(255, (int)(v * 1.5f))), img.Pixels.ToArray());
    }

    [Fact]
    public void Equalize_spreads_a_two_level_image_like_pillow()
    {
        var img = new ImageBuffer();
        var px = img.Reset(1, 32, 32);
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i < 512 ? 100 : 101);
        ImageOps.Equalize(img);
        // Pillow: step = (1024 - 512) // 255 = 2; lut[100] = 1 // 2 = 0, lut[101] = (1 + 512) // 2 = 256 → 255.
        Assert.Equal(0, img.Pixels[0]);
        Assert.Equal(255, img.Pixels[1023]);
    }

    [Fact]
    public void Geometric_ops_keep_size_and_move_content()
    {
        var img = new ImageBuffer();
        var px = img.Reset(1, 8, 8);
        for (int i = 0; i < 64; i++) px[i] = (byte)i;
        ImageOps.TranslateX(img, 2, 128);
        Assert.Equal(128, img.Pixels[0]);
        Assert.Equal(0, img.Pixels[2]);
        Assert.Equal((8, 8), (img.Height, img.Width));
        for (int i = 0; i < 64; i++) img.Pixels[i] = (byte)i;
        ImageOps.Rotate(img, 90, 128);
        // Counter-clockwise by 90°: the top-right pixel moves to the top-left.
        Assert.Equal(7, img.Pixels[0]);
    }

    [Fact]
    public void Imagenet_crops_give_224_squares()
    {
        var img = new ImageBuffer();
        var px = img.Reset(3, 300, 400);
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i % 251);
        var rng = new AugmentRandom(3);
        new RandomResizedCrop(224).Apply(img, ref rng);
        Assert.Equal((3, 224, 224), (img.Channels, img.Height, img.Width));
        var flat = img.Reset(3, 300, 400);
        flat.Fill(77);
        new ResizeCenterCrop(256, 224).Apply(img, ref rng);
        Assert.Equal((3, 224, 224), (img.Channels, img.Height, img.Width));
        Assert.All(img.Pixels.ToArray(), v => Assert.Equal(77, v));
        var eval = Augmentations.Eval(DataSets.Get("imagenet"));
        Assert.Equal((224, 224), eval.OutputSize(375, 500));
        Assert.Equal((224, 224), Augmentations.Train(DataSets.Get("imagenet")).OutputSize(375, 500));
    }

    [Fact]
    public void Normalisation_uses_the_data_set_mean_and_std()
    {
        using var ds = Identical(2);
        var info = DataSets.Get("cifar10");
        using var loader = new DataLoader(ds, Augmentations.Eval(info), 2, shuffle: false);
        using var b = loader.LoadBatch([0, 1]);
        var v = b.Images.data<float>().ToArray();
        Assert.Equal((40 / 255f - info.Mean[0]) / info.Std[0], v[0], 5);
        Assert.Equal((50 / 255f - info.Mean[1]) / info.Std[1], v[1024], 5);
    }
}

public class TrainingNormalizationTests
{
    [Fact]
    public void Svhn_is_only_rescaled_to_the_unit_range_as_in_the_paper_and_cifar_uses_its_mean_and_std()
    {
        var svhn = DropActivation.Data.Registry.DataSets.Get("svhn");
        var table = DropActivation.Data.Augmentation.Augmentations.TrainingNormalization(svhn).Table(3, 255);
        Assert.Equal(0f, table[0]);
        Assert.Equal(1f, table[255], 6);
        Assert.Equal(1f, table[2 * 256 + 255], 6);

        var cifar = DropActivation.Data.Registry.DataSets.Get("cifar10");
        var ct = DropActivation.Data.Augmentation.Augmentations.TrainingNormalization(cifar).Table(3, 255);
        Assert.Equal(-cifar.Mean[0] / cifar.Std[0], ct[0], 5);
    }
}
