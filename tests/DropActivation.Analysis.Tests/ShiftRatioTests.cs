using DropActivation.Analysis.ShiftRatio;
using DropActivation.Analysis.Theory;
using DropActivation.Models.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Analysis.Tests;

public class ShiftRatioTests
{
    private static ShiftRatioOptions Tiny(double p, params string[] acts) => new()
    {
        Model = "simple-cnn", Dataset = "mnist", DataRoot = RealData.Root, Activations = acts, P = p, Epochs = 2, BatchSize = 32,
        TrainSubset = 300, ProbeImages = 64, ProbeDraws = 3, Seed = 5,
    };

    [RealDataFact("mnist/train-images-idx3-ubyte.gz")]
    public void Without_drop_the_ratio_is_one()
    {
        var r = ShiftRatioExperiment.Run(Tiny(1.0, "dropact"));
        Assert.Equal("block2", r.Stage);
        Assert.Equal(64, r.Channels);
        Assert.Equal(3, r.Epochs.Count);
        Assert.Equal(1.0, r.ClosedForm, 12);
        foreach (var e in r.Epochs)
        {
            Assert.True(e.VarTrain > 0);
            Assert.Equal(1.0, e.Ratio, 12);
            Assert.Equal(1.0, e.MeanChannelRatio, 12);
        }
    }

    [RealDataFact("mnist/train-images-idx3-ubyte.gz")]
    public void Drop_activation_shifts_the_variance_down_and_relu_does_not()
    {
        var dir = RealData.NewTempDir("dropact-experiments-tests");
        var r = ShiftRatioExperiment.Run(Tiny(0.95, "dropact", "relu"));
        Assert.Equal(VarianceShift.ClosedForm(0.95), r.ClosedForm, 12);
        var da = r.Epochs.Where(e => e.Activation == "dropact").ToArray();
        var relu = r.Epochs.Where(e => e.Activation == "relu").ToArray();
        Assert.Equal(new[] { 0, 1, 2 }, da.Select(e => e.Epoch));
        Assert.Equal(new[] { 0, 1, 2 }, relu.Select(e => e.Epoch));
        foreach (var e in da)
        {
            Assert.InRange(e.Ratio, 0.5, 0.9999);
            Assert.True(e.VarTest < e.VarTrain);
        }
        Assert.True(double.IsNaN(da[0].TrainLoss));
        Assert.True(da[2].TrainLoss < da[1].TrainLoss + 1.0);
        foreach (var e in relu) Assert.Equal(1.0, e.Ratio, 12);
        Assert.Equal(r.FinalRatio("dropact"), da[^1].Ratio);

        var csv = File.ReadAllLines(ShiftRatioCsv.Write(dir, r));
        Assert.Equal(1 + 6, csv.Length);
        Assert.Equal("activation,epoch,train_loss,train_error,var_train,var_test,shift_ratio,mean_channel_ratio", csv[0]);
        Assert.StartsWith("dropact,0,NaN,NaN,", csv[1]);
        Assert.StartsWith("relu,2,", csv[6]);
        var png = Path.Combine(dir, "shift-ratio.png");
        ShiftRatioPlot.Save(png, r);
        PngAssert.Figure(png);
    }

    [Fact]
    public void Probe_on_a_resnet_stage_sees_the_shift_and_leaves_bn_statistics_alone()
    {
        torch.manual_seed(11);
        using var model = ModelRegistry.Create("resnet-20", new ModelConfig(10, 3, 32) { Activation = ActivationFactory.FromName("dropact", 0.8) });
        // Give the BN layers non-trivial running statistics, as after training.
        model.train();
        using (torch.no_grad())
            for (int i = 0; i < 3; i++) model.forward(torch.randn(16, 3, 32, 32)).Dispose();
        var before = model.state_dict().Where(kv => kv.Key.Contains("running") || kv.Key.Contains("num_batches")).ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var images = torch.randn(24, 3, 32, 32);

        using var probe = new StageProbe(model, "layer2");
        var v = probe.Measure(images, draws: 4);
        Assert.Equal(32, v.Train.Length);
        Assert.InRange(v.Ratio, 0.05, 0.9999); // far below Property 2's 0.84 at p = 0.8: the shift compounds over the layers before the stage
        Assert.True(model.training, "the model's mode is restored");
        foreach (var (name, t) in model.state_dict().Where(kv => kv.Key.Contains("running")))
            Assert.True(t.eq(before[name]).all().item<bool>(), $"{name} changed");

        // The test pass is deterministic: measuring twice gives the same Var_test.
        Assert.Equal(v.Test, probe.Measure(images, draws: 1).Test);

        // The whole-network mode normalises the train pass with batch statistics, and still restores the running ones.
        using var network = new StageProbe(model, "layer2", ProbeMode.Network);
        var n = network.Measure(images, draws: 2);
        Assert.NotEqual(v.Train, n.Train);
        Assert.Equal(v.Test, n.Test);
        foreach (var (name, t) in model.state_dict().Where(kv => kv.Key.Contains("running") || kv.Key.Contains("num_batches")))
            if (before.TryGetValue(name, out var b)) Assert.True(t.eq(b).all().item<bool>(), $"{name} changed in network mode");
    }

    [Fact]
    public void Random_layers_are_recognised()
    {
        Assert.True(StageProbe.IsRandomLayer(DA.DropAct(0.9)));
        Assert.True(StageProbe.IsRandomLayer(DA.RandomizedReLU()));
        Assert.True(StageProbe.IsRandomLayer(nn.Dropout(0.3)));
        Assert.False(StageProbe.IsRandomLayer(nn.ReLU()));
        Assert.False(StageProbe.IsRandomLayer(nn.BatchNorm2d(4)));
    }

    [Fact]
    public void Unknown_names_are_rejected_with_the_choices()
    {
        var o = Tiny(0.95, "dropact") with { DataRoot = "/nonexistent" };
        var e = Assert.Throws<ArgumentException>(() => ShiftRatioExperiment.Check(o with { Stage = "layer9" }));
        Assert.Contains("block1, block2, block3", e.Message);
        Assert.Contains("relu", Assert.Throws<ArgumentException>(() => ShiftRatioExperiment.Check(o with { Activations = new[] { "swish2" } })).Message);
        Assert.Contains("simple-cnn", Assert.Throws<ArgumentException>(() => ShiftRatioExperiment.Check(o with { Model = "nope" })).Message);
        Assert.Contains("Wide ResNets", Assert.Throws<ArgumentException>(() => ShiftRatioExperiment.Check(o with { Dropout = 0.3 })).Message);
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(10, 1, 28));
        Assert.Contains("block1, block2, block3", Assert.Throws<ArgumentException>(() => new StageProbe(model, "fc1")).Message);
    }
}
