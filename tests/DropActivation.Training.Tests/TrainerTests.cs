using DropActivation.Training.Reports;

namespace DropActivation.Training.Tests;

public class TrainerTests
{
    private static TrainOptions Tiny(string act, int epochs, int train, int test, double lr = 0.05, int batch = 64, int[]? milestones = null) => new()
    {
        Model = "simple-cnn", Dataset = "fashion-mnist", Activation = act, P = 0.95, Epochs = epochs, BatchSize = batch, LearningRate = lr,
        Schedule = "multistep", Milestones = milestones ?? Array.Empty<int>(), Gamma = 0.1, WeightDecay = 1e-4, Momentum = 0.9,
        Seed = 7, Threads = 2, TrainSubset = train, TestSubset = test,
    };

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void Two_epochs_on_2000_real_images_learn_far_below_chance()
    {
        var dir = RealData.NewTempDir("dropact-training-tests");
        var summary = new Trainer().Train(Tiny("dropact", 2, 2000, 1000), RealData.Root, dir);
        Assert.True(summary.Finished);
        Assert.True(summary.FinalTestError < 0.40, $"test error {summary.FinalTestError} (chance 0.9)");

        var run = new RunFolder(dir);
        var metrics = MetricsLog.ReadJsonLines(run.MetricsJsonLines);
        Assert.Equal(new[] { 1, 2 }, metrics.Select(m => m.Epoch));
        Assert.True(metrics[1].TrainLoss < metrics[0].TrainLoss);
        Assert.Equal(3, File.ReadAllLines(run.MetricsCsv).Length);
        // Each epoch's time splits into the training pass (loading included) and evaluation; the
        // resident memory at its end is logged (and stays put: glibc keeps freed memory).
        Assert.All(metrics, m =>
        {
            Assert.True(m.TrainSeconds > 0 && m.TestSeconds > 0, "train/test seconds missing");
            Assert.InRange(m.TrainSeconds!.Value + m.TestSeconds!.Value, m.Seconds - 0.01, m.Seconds + 0.01);
            Assert.True(m.ResidentMiB > 50, $"resident memory {m.ResidentMiB} MiB");
        });
        Assert.EndsWith(",train_seconds,test_seconds,rss_mib", File.ReadLines(run.MetricsCsv).First());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "tensorboard"), "events.out.tfevents.*"));
        Assert.True(new FileInfo(Directory.GetFiles(Path.Combine(dir, "tensorboard"))[0]).Length > 100);
        var header = CheckpointFile.ReadHeader(run.Checkpoint);
        Assert.Equal((2, "dropact", 10, 1, 28), (header.Epoch, header.Options.Activation, header.NumClasses, header.InChannels, header.ImageSize));
        Assert.Equal(metrics.Min(m => m.TestError), header.BestTestError);
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void A_run_stopped_and_resumed_ends_with_the_same_weights_as_an_uninterrupted_one()
    {
        // Milestone at epoch index 3: the resumed half must pick up the decayed learning rate.
        var options = Tiny("dropact", 4, 256, 128, batch: 32, milestones: new[] { 3 });
        var (whole, split) = TrainedWholeAndEmptySplit(options);
        var first = new Trainer().Train(options, RealData.Root, split, stopAfterEpoch: 2);
        Assert.False(first.Finished);
        Assert.Equal(2, first.EpochsCompleted);
        torch.manual_seed(12345); // disturb the global generator: the checkpoint must restore it
        new Trainer().Resume(split, RealData.Root);

        using var a = CheckpointFile.Load(new RunFolder(whole).Checkpoint);
        using var b = CheckpointFile.Load(new RunFolder(split).Checkpoint);
        Assert.Equal(4, b.Header.Epoch);
        Assert.Equal(a.Model.Keys.Order(), b.Model.Keys.Order());
        foreach (var (name, t) in a.Model) Assert.True(Same.Tensors(t, b.Model[name]), $"{name} differs after resume");
        foreach (var (name, t) in a.Optimizer) Assert.True(Same.Tensors(t, b.Optimizer[name]), $"momentum of {name} differs after resume");
        var lrs = MetricsLog.ReadJsonLines(new RunFolder(split).MetricsJsonLines).Select(m => m.LearningRate).ToArray();
        Assert.Equal(new[] { 0.05, 0.05, 0.05, 0.005 }, lrs.Select(l => Math.Round(l, 10)));
        Assert.Equal(a.Header.History.Select(m => m.TestError), b.Header.History.Select(m => m.TestError));

        // machine.jsonl: one line for the start and one for the resume, naming the epoch each began from and this CPU.
        var machines = MachineRecord.ReadAll(new RunFolder(split).Machine);
        Assert.Equal(new[] { 0, 2 }, machines.Select(m => m.FromEpoch));
        var cpu = DropActivation.Runtime.CpuFeatures.Current;
        Assert.All(machines, m =>
        {
            Assert.Equal(cpu.Model, m.CpuModel);
            Assert.Equal((cpu.Avx2, cpu.Avx512F, cpu.Avx512Bf16, cpu.AmxBf16), (m.Avx2, m.Avx512F, m.Avx512Bf16, m.AmxBf16));
            Assert.Equal(2, m.Threads);
            Assert.StartsWith("0.", m.Build);
        });
    }

    /// <summary>Calls <paramref name="atStep"/> when (epoch, step) is reached (1-based both).</summary>
    private sealed class StepTrigger(int epoch, int step, Action atStep) : ITrainingMonitor
    {
        public void EpochStarted(int e, int epochs, int steps, double lr) { }
        public void StepFinished(int e, int s, double loss) { if (e == epoch && s == step) atStep(); }
        public void EpochFinished(EpochMetrics metrics, bool best) { }
        public void Info(string message) { }
    }

    /// <summary>An uninterrupted run of <paramref name="options"/> (whole) and an empty folder for the same run in parts (split).</summary>
    private static (string Whole, string Split) TrainedWholeAndEmptySplit(TrainOptions options)
    {
        var whole = RealData.NewTempDir("dropact-training-tests");
        new Trainer().Train(options, RealData.Root, whole);
        return (whole, RealData.NewTempDir("dropact-training-tests"));
    }

    private static void AssertSameRun(string whole, string split)
    {
        using var a = CheckpointFile.Load(new RunFolder(whole).Checkpoint);
        using var b = CheckpointFile.Load(new RunFolder(split).Checkpoint);
        Assert.Equal(a.Header.Epoch, b.Header.Epoch);
        Assert.Null(b.Header.InEpoch);
        foreach (var (name, t) in a.Model) Assert.True(Same.Tensors(t, b.Model[name]), $"{name} differs after resume");
        foreach (var (name, t) in a.Optimizer) Assert.True(Same.Tensors(t, b.Optimizer[name]), $"momentum of {name} differs after resume");
        // The epoch's training loss and error continue the same running sums: equal to the last bit.
        Assert.Equal(a.Header.History.Select(m => (m.TrainLoss, m.TrainError, m.TestError)), b.Header.History.Select(m => (m.TrainLoss, m.TrainError, m.TestError)));
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void A_run_cancelled_inside_an_epoch_checkpoints_its_position_and_resumes_bit_identically()
    {
        var options = Tiny("dropact", 3, 256, 128, batch: 32, milestones: new[] { 2 });   // 8 steps per epoch
        var (whole, split) = TrainedWholeAndEmptySplit(options);

        using var cancel = new CancellationTokenSource();
        var stopped = new Trainer(new StepTrigger(2, 3, cancel.Cancel)).Train(options, RealData.Root, split, cancel: cancel.Token);
        Assert.Equal((1, false, (int?)3), (stopped.EpochsCompleted, stopped.Finished, stopped.StoppedAfterStep));
        var header = CheckpointFile.ReadHeader(new RunFolder(split).Checkpoint);
        Assert.Equal(1, header.Epoch);
        Assert.Equal(3, header.InEpoch!.Steps);
        Assert.Equal(3 * 32, header.InEpoch.Samples);
        Assert.Contains("\"stopped_after_step\": 3", File.ReadAllText(new RunFolder(split).Summary));

        torch.manual_seed(12345); // disturb the global generator: the checkpoint must restore it
        var resumed = new Trainer().Resume(split, RealData.Root);
        Assert.True(resumed.Finished);
        Assert.Null(resumed.StoppedAfterStep);
        Assert.DoesNotContain("stopped_after_step", File.ReadAllText(new RunFolder(split).Summary));
        AssertSameRun(whole, split);
    }

    [RealDataTheory("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(true, "bf16")]
    public void A_process_that_dies_without_warning_resumes_from_its_last_recovery_checkpoint_bit_identically(bool channelsLast, string? precision)
    {
        var options = Tiny("dropact", 3, 256, 128, batch: 32, milestones: new[] { 2 }) with { ChannelsLast = channelsLast, Precision = precision };
        // bf16 is emulated (slowly) on CPUs without native bf16: allowed here, for correctness.
        var whole = RealData.NewTempDir("dropact-training-tests");
        var split = RealData.NewTempDir("dropact-training-tests");
        new Trainer { AllowEmulatedBFloat16 = true }.Train(options, RealData.Root, whole);

        // A recovery checkpoint after every step; the "kill" comes after step 6 of epoch 2 (an exception from the
        // monitor, before that step's checkpoint): what is on disk is the checkpoint after step 5.
        var crash = new InvalidOperationException("killed");
        var trainer = new Trainer(new StepTrigger(2, 6, () => throw crash)) { RecoveryInterval = TimeSpan.Zero, AllowEmulatedBFloat16 = true };
        Assert.Same(crash, Assert.Throws<InvalidOperationException>(() => trainer.Train(options, RealData.Root, split)));
        var header = CheckpointFile.ReadHeader(new RunFolder(split).Checkpoint);
        Assert.Equal((1, 5), (header.Epoch, header.InEpoch!.Steps));
        // The mode is the run's: in its config and checkpoint, and a resume keeps it.
        Assert.Equal((channelsLast, precision), (header.Options.ChannelsLast, header.Options.Precision));

        new Trainer { AllowEmulatedBFloat16 = true }.Resume(split, RealData.Root);
        AssertSameRun(whole, split);
        // Checkpoints hold the standard layout whatever the model's.
        using var saved = CheckpointFile.Load(new RunFolder(split).Checkpoint);
        Assert.All(saved.Model.Values, t => Assert.True(t.is_contiguous()));
    }

    [Fact]
    public void Precision_names_are_checked_bf16_is_cpu_only_and_refused_where_the_cpu_would_emulate_it()
    {
        Assert.Contains("Unknown --precision 'fp16'. Valid: fp32, bf16", Assert.Throws<ArgumentException>(() =>
            TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "fashion-mnist", Precision = "fp16" })).Message);
        Assert.Contains("CPU autocast", Assert.Throws<ArgumentException>(() =>
            TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "fashion-mnist", Precision = "bf16", Device = "cuda" })).Message);
        var standard = TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "fashion-mnist", Precision = "FP32" });
        Assert.Equal((null, false), (standard.Precision, standard.ChannelsLast));
        // fp32 in the standard layout writes nothing new into config.json: runs from before stay byte-identical.
        var json = JsonSerializer.Serialize(standard, CheckpointFile.Json);
        Assert.DoesNotContain("precision", json);
        Assert.DoesNotContain("channels_last", json);
        var emulating = new DropActivation.Runtime.CpuFeatures("AVX2-only", true, false, false, false, false);
        var native = emulating with { Avx512F = true, Avx512Bf16 = true };
        Assert.Contains("would emulate it", new ComputeMode(false, true).Problem(emulating));
        Assert.Null(new ComputeMode(true, true).Problem(native));
        Assert.Null(new ComputeMode(true, false).Problem(emulating));
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void A_stratified_subset_has_n_over_classes_of_each_class_the_same_for_every_activation_of_a_seed()
    {
        static int[] Indices(long seed) =>
            ((DropActivation.Data.SubsetSource)RunData.Load("fashion-mnist", RealData.Root, 500, 100, splitSeed: (ulong)seed, stratifiedSubset: true).Train).Indices.ToArray();
        using var data = RunData.Load("fashion-mnist", RealData.Root, 500, 100, splitSeed: 3, stratifiedSubset: true);
        Assert.Equal(500, data.Train.Count);
        var perClass = new int[10];
        for (int i = 0; i < data.Train.Count; i++) perClass[data.Train.GetLabel(i)]++;
        Assert.All(perClass, c => Assert.Equal(50, c));
        // The subset depends on the seed only (the activation never reaches the data), so every activation of a seed trains on it.
        Assert.Equal(Indices(3), Indices(3));
        Assert.NotEqual(Indices(3), Indices(4));
        // Through the trainer: the options say so in config.json, and a relu and a dropact run of one seed see the same images.
        var options = Tiny("relu", 1, 500, 100) with { StratifiedSubset = true };
        Assert.Contains("\"stratified_subset\": true", JsonSerializer.Serialize(options, CheckpointFile.Json));
        Assert.DoesNotContain("stratified_subset", JsonSerializer.Serialize(options with { StratifiedSubset = false }, CheckpointFile.Json));
        // The resolver checks it: N must be given and a multiple of the classes.
        Assert.Contains("give --train-subset N", Assert.Throws<ArgumentException>(() =>
            TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "fashion-mnist", StratifiedSubset = true })).Message);
        Assert.Contains("not a multiple of 10", Assert.Throws<ArgumentException>(() =>
            TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "fashion-mnist", StratifiedSubset = true, TrainSubset = 505 })).Message);
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void With_eval_every_2_of_5_epochs_only_2_4_and_5_are_evaluated_also_across_a_resume_and_the_report_reads_it()
    {
        var options = Tiny("dropact", 5, 256, 128, batch: 64) with { EvalEvery = 2 };
        var (whole, split) = TrainedWholeAndEmptySplit(options);
        new Trainer().Train(options, RealData.Root, split, stopAfterEpoch: 3);
        new Trainer().Resume(split, RealData.Root);
        foreach (var dir in new[] { whole, split })
        {
            var metrics = MetricsLog.ReadJsonLines(new RunFolder(dir).MetricsJsonLines);
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, metrics.Select(m => m.Epoch));
            Assert.Equal(new[] { 2, 4, 5 }, metrics.Where(m => m.TestError is not null).Select(m => m.Epoch));
            Assert.All(metrics.Where(m => m.TestError is null), m => Assert.Null(m.TestLoss));
            var run = RunRecord.Load(dir);
            Assert.Equal(metrics[4].TestError, run.FinalTestError);
            Assert.Equal(new[] { metrics[1], metrics[3], metrics[4] }.Min(m => m.TestError!.Value), run.BestTestError);
            Assert.Equal(run.BestTestError, CheckpointFile.ReadHeader(new RunFolder(dir).Checkpoint).BestTestError);
        }
        var csv = File.ReadAllLines(new RunFolder(split).MetricsCsv);
        Assert.StartsWith("1,", csv[1]);
        var cells = csv[1].Split(',');
        Assert.Equal(("", ""), (cells[3], cells[4]));   // epoch 1: test_loss and test_error empty
        Assert.Equal(MetricsLog.ReadJsonLines(new RunFolder(whole).MetricsJsonLines).Select(m => (m.TrainLoss, m.TestError)),
                     MetricsLog.ReadJsonLines(new RunFolder(split).MetricsJsonLines).Select(m => (m.TrainLoss, m.TestError)));
        var rows = ReportBuilder.Rows([RunRecord.Load(whole)]);
        Assert.Single(rows);
        Assert.Contains("--eval-every must be at least 1", Assert.Throws<ArgumentException>(() =>
            TrainOptionsResolver.Resolve(new TrainOverrides { Model = "simple-cnn", Dataset = "fashion-mnist", EvalEvery = 0 })).Message);
    }

    [RealDataFact("fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz")]
    public void A_diverging_loss_stops_with_a_clear_message_and_keeps_the_last_good_checkpoint()
    {
        var dir = RealData.NewTempDir("dropact-training-tests");
        var e = Assert.Throws<NonFiniteLossException>(() => new Trainer().Train(Tiny("relu", 3, 256, 64, lr: 1e10), RealData.Root, dir));
        Assert.Matches(@"loss became (NaN|infinite) at epoch \d+ step \d+", e.Message);
        Assert.Contains(new RunFolder(dir).Checkpoint, e.Message);
        using var ckpt = CheckpointFile.Load(e.LastGoodCheckpoint);
        Assert.Equal(e.Epoch - 1, ckpt.Header.Epoch);
        Assert.All(ckpt.Model.Values, t => Assert.False(t.isnan().any().item<bool>()));
    }
}
