using DropActivation.Training.Reports;

namespace DropActivation.Training.Tests;

public class ReportTests
{
    /// <summary>Writes a run folder as the trainer does (config.json + metrics.jsonl) with the given test errors per epoch.</summary>
    internal static string Fixture(string root, string act, long seed, params double[] testErrors) =>
        Fixture(Path.Combine(root, act, $"seed-{seed}"), new TrainOptions
        {
            Model = "simple-cnn", Dataset = "mnist", Activation = act, Epochs = testErrors.Length, BatchSize = 64, LearningRate = 0.1, Seed = seed,
        }, testErrors);

    /// <summary>Writes the run folder <paramref name="dir"/> of the run <paramref name="o"/> with the given test errors per epoch.</summary>
    internal static string Fixture(string dir, TrainOptions o, params double[] testErrors)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(o));
        var log = new MetricsLog(dir);
        log.Reset(testErrors.Select((e, i) => new EpochMetrics
        {
            Epoch = i + 1, TrainLoss = 1.0 / (i + 1), TrainError = e / 2, TestLoss = 1, TestError = e, LearningRate = 0.1, Seconds = 1,
        }));
        return dir;
    }

    [Fact]
    public void Report_gives_the_mean_and_sample_std_of_the_final_test_error_per_activation()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        Fixture(root, "relu", 1, 0.5, 0.05);
        Fixture(root, "relu", 2, 0.5, 0.07);
        Fixture(root, "relu", 3, 0.5, 0.06);
        Fixture(root, "dropact", 1, 0.04, 0.05);
        Fixture(root, "dropact", 2, 0.5, 0.05);

        var runs = RunRecord.Find(new[] { root }).Select(RunRecord.Load).ToList();
        Assert.Equal(5, runs.Count);
        var rows = ReportBuilder.Rows(runs);
        Assert.Equal(new[] { "Baseline", "Drop-Act" }, rows.Select(r => r.Label));
        Assert.Equal(6.0, rows[0].MeanPercent, 9);
        Assert.Equal(1.0, rows[0].StdPercent, 9); // sample std of 5, 7, 6
        Assert.Equal(5.0, rows[1].MeanPercent, 9);
        Assert.Equal(0.0, rows[1].StdPercent, 9);
        var best = ReportBuilder.Rows(runs, ErrorMetric.Best);
        Assert.Equal(4.5, best[1].MeanPercent, 9); // best epochs: 4 and 5
        var train = ReportBuilder.Rows(runs, ErrorMetric.Train);
        Assert.Equal(3.0, train[0].MeanPercent, 9); // the last epoch's training errors: 2.5, 3.5, 3
        Assert.Equal(0.5, train[0].StdPercent, 9);
        Assert.Equal(2.5, train[1].MeanPercent, 9); // the last epoch's, not the lowest (2 % at seed 1's first epoch)

        var md = ReportBuilder.Markdown(rows);
        Assert.Contains("| simple-cnn | 6.00±1.00 | **5.00±0.00** |", md);
        Assert.Contains("| Model | mnist Baseline | mnist Drop-Act |", md);
        var csv = ReportBuilder.Csv(rows).Split('\n');
        Assert.Equal("simple-cnn,mnist,relu,Baseline,3,6,1,1;2;3,5;7;6", csv[1]);

        // A cell of one run has no sample std: it says n=1 instead of a spread of zero.
        var one = ReportBuilder.Rows(runs.Where(r => r.Options.Activation == "relu" || r.Options.Seed == 1).ToList());
        Assert.Contains("| simple-cnn | 6.00±1.00 | **5.00 (n=1)** |", ReportBuilder.Markdown(one));
        Assert.Equal("simple-cnn,mnist,dropact,Drop-Act,1,5,,1,5", ReportBuilder.Csv(one).Split('\n')[2]);
    }

    [Fact]
    public void Runs_of_another_compute_mode_get_their_own_row_and_are_never_pooled_with_fp32_runs()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        TrainOptions Options(string act, long seed, bool fast) => new()
        {
            Model = "resnet-20", Dataset = "cifar10", Activation = act, Epochs = 1, BatchSize = 128, LearningRate = 0.1, Seed = seed,
            ChannelsLast = fast, Precision = fast ? "bf16" : null,
        };
        foreach (var (seed, fp32, fast) in new[] { (1L, 0.10, 0.11), (2L, 0.12, 0.12) })
        {
            Fixture(Path.Combine(root, "fp32", $"s{seed}"), Options("relu", seed, false), fp32);
            Fixture(Path.Combine(root, "fast", $"s{seed}"), Options("relu", seed, true), fast);
        }
        Fixture(Path.Combine(root, "fast", "dropact-s1"), Options("dropact", 1, true), 0.09);

        var runs = RunRecord.Find([root]).Select(RunRecord.Load).ToList();
        var rows = ReportBuilder.Rows(runs);
        Assert.Equal(["Baseline", "Baseline (bf16, channels-last)", "Drop-Act (bf16, channels-last)"], rows.Select(r => r.Label));
        Assert.Equal([ComputeMode.Standard, new ComputeMode(true, true), new ComputeMode(true, true)], rows.Select(r => r.Mode));
        Assert.Equal(11.0, rows[0].MeanPercent, 9); // 10 and 12: the fp32 runs only
        Assert.Equal(11.5, rows[1].MeanPercent, 9); // 11 and 12
        Assert.Contains("| Model | cifar10 Baseline | cifar10 Baseline (bf16, channels-last) | cifar10 Drop-Act (bf16, channels-last) |",
            ReportBuilder.Markdown(rows));
        Assert.Equal("Baseline (bf16, channels-last)", ReportBuilder.Label(runs.Single(r => r.Path.EndsWith(Path.Combine("fast", "s2"))).Options));
    }

    [Fact]
    public void Training_curves_are_written_as_png()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        Fixture(root, "relu", 1, 0.5, 0.2, 0.1);
        Fixture(root, "rrelu", 1, 0.5, 0.25, 0.12);
        Fixture(root, "dropact", 1, 0.45, 0.2, 0.09);
        var runs = RunRecord.Find(new[] { root }).Select(RunRecord.Load).ToList();
        var pngs = TrainingCurves.Write(runs, Path.Combine(root, "out"));
        var png = Assert.Single(pngs);
        Assert.EndsWith("training-curves-simple-cnn-mnist.png", png);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        Assert.True(bytes.Length > 5000);
        var (_, train, test) = TrainingCurves.Mean(new[] { runs[0].Metrics, runs[1].Metrics });
        Assert.Equal(3, test.Length);
        Assert.Equal(100 * (runs[0].Metrics[2].TestError!.Value + runs[1].Metrics[2].TestError!.Value) / 2, test[2], 9);
        Assert.Equal(test[0] / 2, train[0], 9);

        // The epoch axis of a 3-epoch run has whole-number ticks only (the automatic ones put 1.2, 1.4, … there).
        var plot = TrainingCurves.Figure("simple-cnn", "mnist", runs);
        plot.RenderInMemory(600, 400);
        var ticks = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position).ToList();
        Assert.True(ticks.Count >= 2, $"ticks: {string.Join(", ", ticks)}");
        Assert.All(ticks, t => Assert.Equal(Math.Round(t), t, 12));
        // Three activations, six entries: the legend sits inside the data area.
        Assert.True(plot.Legend.IsVisible);
        Assert.DoesNotContain(plot.Axes.GetPanels(), panel => panel is ScottPlot.Panels.LegendPanel);
    }

    [Fact]
    public void A_p_sweeps_legend_goes_beside_the_curves_not_over_their_last_epochs()
    {
        var root = RealData.NewTempDir("dropact-training-tests");
        var runs = new List<RunRecord>();
        for (int i = 0; i < 9; i++)
        {
            double p = 0.6 + 0.05 * i;
            var dir = Fixture(Path.Combine(root, $"p{i}"), new TrainOptions
            {
                Model = "simple-cnn", Dataset = "cifar10", Activation = "dropact", P = p, Epochs = 3, BatchSize = 64, LearningRate = 0.1, Seed = 1,
            }, 0.6 - 0.02 * i, 0.4 - 0.02 * i, 0.3 - 0.02 * i);
            runs.Add(RunRecord.Load(dir));
        }
        var plot = TrainingCurves.Figure("simple-cnn", "cifar10", runs);
        Assert.Equal(18, plot.GetPlottables().Count());
        plot.RenderInMemory(900, 560);
        var panel = Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>());
        Assert.Equal(ScottPlot.Edge.Right, panel.Edge);
        Assert.False(plot.Legend.IsVisible);   // not drawn a second time inside the data area
        // The panel takes its room from the data area: the curves end left of the legend.
        var data = plot.LastRender.DataRect;
        Assert.True(data.Right < 900 - 100, $"data area right edge {data.Right} of 900");
    }

    [Fact]
    public void Error_metrics_parse_their_names_in_any_case_and_nothing_else()
    {
        foreach (var metric in Enum.GetValues<ErrorMetric>())
        {
            Assert.Equal(metric, ErrorMetrics.Parse(ErrorMetrics.Name(metric)));
            Assert.Equal(metric, ErrorMetrics.Parse(ErrorMetrics.Name(metric).ToUpperInvariant()));
            Assert.Contains(ErrorMetrics.Name(metric), ErrorMetrics.OptionHelp);
        }
        Assert.Equal("final, best, train", ErrorMetrics.Names);
        Assert.Null(ErrorMetrics.Parse("lowest"));
        Assert.Null(ErrorMetrics.Parse(""));
        Assert.Equal("validation error, best epoch", ErrorMetrics.Describe(ErrorMetric.Best, validation: true));
        Assert.Equal("training error, final epoch", ErrorMetrics.Describe(ErrorMetric.Train, validation: true));
        Assert.Equal("test error, final epoch", ErrorMetrics.Describe(ErrorMetric.Final, validation: false));
    }
}
