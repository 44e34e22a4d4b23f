namespace DropActivation.Training.Tests;

/// <summary>One merge (command line, else preset, else defaults) and one check, which resumed runs go through too.</summary>
public class TrainDefaultsTests
{
    private static TrainOptions Fresh(int epochs, string? schedule = null, string model = "simple-cnn", string dataset = "mnist") =>
        TrainOptionsResolver.Resolve(new TrainOverrides { Model = model, Dataset = dataset, Epochs = epochs, Schedule = schedule });

    [Fact]
    public void Without_flags_or_preset_every_value_is_the_defaults_records_as_before()
    {
        var o = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist" });
        Assert.Equal(("dropact", 0.95, 10, 128, 0.1, "multistep", 0.1, 1e-4, 0.9), (o.Activation, o.P, o.Epochs, o.BatchSize, o.LearningRate, o.Schedule, o.Gamma, o.WeightDecay, o.Momentum));
        Assert.Equal([5, 7], o.Milestones);
        Assert.Equal((true, false, false, null, null), (o.Augment, o.Cutout, o.AutoAugment, o.Preset, o.DropActStages));
    }

    [Fact]
    public void A_p_for_an_activation_without_one_is_rejected_not_stored()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "relu", P = 0.9 }));
        Assert.Contains("--p", e.Message);
        Assert.Contains("relu", e.Message);
        Assert.Equal(0.9, TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "dropact-tanh", P = 0.9 }).P);
        // Without --p a ReLU run records the default, as before.
        Assert.Equal(DA.DefaultP, TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "relu" }).P);

        var (exit, _, err) = Run("train", "--model", "simple-cnn", "--dataset", "mnist", "--data", RealData.NewTempDir("dropact-training-tests"), "--act", "relu", "--p", "0.9");
        Assert.Equal(2, exit);
        Assert.Contains("--p is Drop-Activation's keep probability; --act relu has none", err);
    }

    [Fact]
    public void Resuming_with_a_new_epoch_count_moves_default_milestones_as_a_fresh_run_would_and_keeps_given_ones()
    {
        Assert.Equal([2, 3], Fresh(4).Milestones);
        Assert.Equal(Fresh(8).Milestones, TrainOptionsResolver.Resume(Fresh(4), 8, epochsDone: 2).Milestones);
        Assert.Equal(8, TrainOptionsResolver.Resume(Fresh(4), 8, epochsDone: 2).Epochs);
        Assert.Equal([1, 3], TrainOptionsResolver.Resume(Fresh(4, "multistep:1,3"), 8, 2).Milestones);
        var preset = Fresh(4, model: "resnet164", dataset: "cifar10");
        Assert.Equal("cifar-resnet", preset.Preset);
        Assert.Equal(preset.Milestones, TrainOptionsResolver.Resume(preset, 8, 2).Milestones);
        Assert.Empty(TrainOptionsResolver.Resume(Fresh(4, "cosine"), 8, 2).Milestones);
    }

    [Theory]
    [InlineData(0, 0, "--epochs must be at least 1")]
    [InlineData(-3, 0, "--epochs must be at least 1")]
    [InlineData(1, 2, "--epochs 1 is below the 2 epochs this run has already done")]
    public void Resuming_with_too_few_epochs_is_rejected(int epochs, int done, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resume(Fresh(4), epochs, done));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Train_resume_with_epochs_checks_the_count_and_trains_on_with_the_recomputed_schedule()
    {
        var root = ImageFolderAndSplitTests.SvhnRoot(train: 32, extra: 8, test: 8);
        var dir = Path.Combine(RealData.NewTempDir("dropact-training-tests"), "run");
        string[] common = ["--data", root, "--threads", "1"];
        var (exit, _, err) = Run(["train", "--model", "simple-cnn", "--dataset", "svhn", "--epochs", "2", "--batch-size", "16", "--out", dir, .. common]);
        Assert.True(exit == 0, err);
        Assert.Equal([1], CheckpointFile.ReadHeader(new RunFolder(dir).Checkpoint).Options.Milestones);

        (exit, _, err) = Run("train", "--resume", dir, "--data", root, "--epochs", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--epochs must be at least 1", err);
        (exit, _, err) = Run("train", "--resume", dir, "--data", root, "--epochs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("below the 2 epochs", err);

        (exit, _, err) = Run("train", "--resume", dir, "--data", root, "--epochs", "4");
        Assert.True(exit == 0, err);
        var header = CheckpointFile.ReadHeader(new RunFolder(dir).Checkpoint);
        Assert.Equal((4, 4), (header.Epoch, header.Options.Epochs));
        Assert.Equal([2, 3], header.Options.Milestones);
        // Epochs 0-1 ran under the 2-epoch schedule (×0.1 from epoch 1), epochs 2-3 under the 4-epoch one (×0.1 from 2 and 3).
        Assert.Equal(new[] { 0.1, 0.01, 0.01, 0.001 }, header.History.Select(m => Math.Round(m.LearningRate, 10)));
    }
}
