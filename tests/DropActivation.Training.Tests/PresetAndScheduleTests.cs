namespace DropActivation.Training.Tests;

public class PresetAndScheduleTests
{
    [Fact]
    public void All_twelve_recipes_of_tables_6_to_8_are_embedded_with_the_papers_values()
    {
        Assert.Equal(12, PresetCatalog.All.Count);
        var wrn = PresetCatalog.Get("cifar-wrn-28");
        Assert.Equal((128, 200, 0.1, 5e-4, 0.2, 0.3), (wrn.BatchSize, wrn.Epochs, wrn.LearningRate, wrn.WeightDecay, wrn.Gamma, wrn.Dropout));
        Assert.Equal(new[] { 80, 120, 160 }, wrn.Milestones);
        var svhn = PresetCatalog.Get("svhn-wrn-16");
        Assert.Equal((0.01, 160, 0.4), (svhn.LearningRate, svhn.Epochs, svhn.Dropout));
        var dense190 = PresetCatalog.Get("cifar-densenet190");
        Assert.Equal((32, 300), (dense190.BatchSize, dense190.Epochs));
        var imagenet = PresetCatalog.Get("imagenet-senet50");
        Assert.Equal((256, 120, 2), (imagenet.BatchSize, imagenet.Epochs, imagenet.DropActLastStages));
        Assert.All(PresetCatalog.All, p => Assert.Equal(0.9, p.Momentum));
    }

    [Fact]
    public void The_papers_recipe_is_found_for_a_model_and_data_set()
    {
        Assert.Equal("cifar-resnet", PresetCatalog.Match("resnet164", "cifar100")?.Name);
        Assert.Equal("svhn-densenet100", PresetCatalog.Match("densenet-bc-100-12", "svhn")?.Name);
        Assert.Null(PresetCatalog.Match("simple-cnn", "mnist"));
        var o = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "resnet34", Dataset = "imagenet", Activation = "dropact", P = 0.95 });
        Assert.Equal("imagenet-resnet34", o.Preset);
        Assert.Equal(new[] { "layer3", "layer4" }, o.DropActStages);
    }

    [Fact]
    public void Flags_override_the_preset()
    {
        var o = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "wrn-28-10", Dataset = "cifar10", Activation = "relu", Preset = "cifar-wrn-28",
            Epochs = 3, LearningRate = 0.02, Schedule = "multistep:1,2", WeightDecay = 0 });
        Assert.Equal((3, 0.02, 0.0, 0.2), (o.Epochs, o.LearningRate, o.WeightDecay, o.Gamma));
        Assert.Equal(new[] { 1, 2 }, o.Milestones);
        Assert.Equal(0.3, o.Dropout);
    }

    [Theory]
    [InlineData("nope-net", "cifar10", "relu", null, "simple-cnn")]
    [InlineData("simple-cnn", "imagenette", "relu", null, "fashion-mnist")]
    [InlineData("simple-cnn", "cifar10", "swish2", null, "rrelu")]
    [InlineData("simple-cnn", "cifar10", "relu", "cifar-resnet-9000", "cifar-wrn-28")]
    public void Unknown_names_give_one_error_listing_the_valid_choices(string model, string dataset, string act, string? preset, string listed)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = model, Dataset = dataset, Activation = act, Preset = preset }));
        Assert.Contains(listed, e.Message);
    }

    [Fact]
    public void Bad_values_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "dropact", P = 1.5 }));
        Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "relu", Schedule = "step" }));
        Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "relu", BatchSize = 0 }));
        var e = Assert.ThrowsAny<ArgumentException>(() => TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "mnist", Activation = "relu",
            DropActStages = new[] { "layer9" } }));
        Assert.Contains("block1", e.Message);
    }

    [Fact]
    public void Multistep_applies_each_milestone_from_that_zero_based_epoch_on()
    {
        int[] ms = { 81, 122 };
        Assert.Equal(0.1, LearningRateSchedule.At("multistep", 0.1, 80, 164, ms, 0.1), 12);
        Assert.Equal(0.01, LearningRateSchedule.At("multistep", 0.1, 81, 164, ms, 0.1), 12);
        Assert.Equal(0.001, LearningRateSchedule.At("multistep", 0.1, 163, 164, ms, 0.1), 12);
        Assert.Equal(0.1 * 0.2 * 0.2 * 0.2, LearningRateSchedule.At("multistep", 0.1, 170, 200, new[] { 80, 120, 160 }, 0.2), 12);
    }

    [Fact]
    public void Cosine_starts_at_the_base_rate_and_halves_at_mid_run()
    {
        Assert.Equal(0.1, LearningRateSchedule.At("cosine", 0.1, 0, 100, Array.Empty<int>(), 0.1), 12);
        Assert.Equal(0.05, LearningRateSchedule.At("cosine", 0.1, 50, 100, Array.Empty<int>(), 0.1), 12);
        Assert.True(LearningRateSchedule.At("cosine", 0.1, 99, 100, Array.Empty<int>(), 0.1) < 1e-3);
    }

    [Fact]
    public void A_preset_file_can_set_eval_every_and_the_command_line_overrides_it()
    {
        var file = Path.Combine(RealData.NewTempDir("dropact-preset-tests"), "small-data.json");
        File.WriteAllText(file, """
            { "name": "small-data", "source": "test", "models": ["simple-cnn"], "datasets": ["cifar10"], "batch_size": 128, "epochs": 40,
              "lr": 0.1, "schedule": "cosine", "milestones": [], "gamma": 0.1, "weight_decay": 5e-4, "momentum": 0.9, "eval_every": 5 }
            """);
        var fromPreset = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10", Preset = file });
        Assert.Equal(5, fromPreset.EvalEvery);
        Assert.Equal(new[] { 5, 10, 35, 40 }, Enumerable.Range(1, 40).Where(fromPreset.Evaluates).Where(e => e is 5 or 10 or 35 or 40 or 39));
        Assert.Equal(8, Enumerable.Range(1, 40).Count(fromPreset.Evaluates));
        var given = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10", Preset = file, EvalEvery = 3 });
        Assert.Equal(3, given.EvalEvery);
        Assert.Equal(new[] { 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 40 }, Enumerable.Range(1, 40).Where(given.Evaluates));
        Assert.Null(TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "cifar10" }).EvalEvery);
    }
}
