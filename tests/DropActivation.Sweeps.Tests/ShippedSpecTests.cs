using DropActivation.Models.Registry;
using DropActivation.Training.Presets;

namespace DropActivation.Sweeps.Tests;

/// <summary>The ready-made specs in sweeps/ are the paper's sweeps, and every name in them is one dropact knows.</summary>
public class ShippedSpecTests
{
    private static SweepPlan Load(string name) => SweepPlan.Load(Path.Combine(TestPaths.SweepsFolder, name), "/tmp/plan-only", "/data");

    [Fact]
    public void Figure5_is_simple_cnn_on_cifar10_for_nine_p_values_with_twenty_seeds_each()
    {
        var plan = Load("figure5-psweep.json");
        Assert.Equal(180, plan.Runs.Count);
        Assert.All(plan.Runs, r => Assert.Equal(("simple-cnn", "cifar10", "dropact"), (r.Model, r.Dataset, r.Activation)));
        var byP = plan.Runs.GroupBy(r => r.P!.Value).ToList();
        Assert.Equal([0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00], byP.Select(g => Math.Round(g.Key, 2)));
        Assert.All(byP, g => Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), g.Select(r => r.Seed)));
    }

    [Fact]
    public void Table1_is_eight_networks_on_cifar10_and_cifar100_with_three_activations_and_three_seeds_under_their_presets()
    {
        var plan = Load("table1-cifar.json");
        Assert.Equal(8 * 2 * 3 * 3, plan.Runs.Count);
        Assert.Equal(8, plan.Runs.Select(r => r.Model).Distinct().Count());
        Assert.Equal(["cifar10", "cifar100"], plan.Runs.Select(r => r.Dataset).Distinct());
        Assert.Equal(["relu", "rrelu", "dropact"], plan.Runs.Select(r => r.Activation).Distinct());
        Assert.All(plan.Runs.Where(r => r.Activation == "dropact"), r => Assert.Equal(0.95, r.P));
        foreach (var run in plan.Runs)
        {
            ModelRegistry.Describe(run.Model); // throws for an unknown name
            var preset = PresetCatalog.Get(run.Preset!);
            Assert.Contains(run.Model, preset.Models);
            Assert.Contains(run.Dataset, preset.Datasets);
        }
    }

    private static string Arguments(SweepRun run) => string.Join(' ', run.TrainArguments("/data"));

    [Fact]
    public void Figure5_at_cpu_scale_is_45_unaugmented_runs_on_a_stratified_validation_split()
    {
        var plan = Load("figure5-cifar10-cpu.json");
        Assert.Equal(45, plan.Runs.Count);
        Assert.All(plan.Runs, r => Assert.Equal(("simple-cnn", "cifar10", "dropact"), (r.Model, r.Dataset, r.Activation)));
        var byP = plan.Runs.GroupBy(r => r.P!.Value).ToList();
        Assert.Equal([0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00], byP.Select(g => Math.Round(g.Key, 2)));
        Assert.All(byP, g => Assert.Equal([1L, 2, 3, 4, 5], g.Select(r => r.Seed)));
        Assert.All(plan.Runs, r =>
        {
            var args = Arguments(r);
            Assert.Contains("--validation-split 0.1", args);
            Assert.Contains("--no-augment", args);
            Assert.Contains("--threads 1", args);
            Assert.Contains("--epochs 5", args);
            Assert.Contains("--schedule multistep:3", args);
        });
        // Seed-major: a sweep stopped part-way has every p with the same number of seeds.
        Assert.All(plan.Runs.Take(9), r => Assert.Equal(1L, r.Seed));
    }

    [Fact]
    public void Figure5_convergence_probe_runs_p095_and_relu_for_14_epochs_on_the_figure5_splits()
    {
        var plan = Load("figure5-convergence-cifar10-cpu.json");
        var figure5 = Load("figure5-cifar10-cpu.json");
        Assert.Equal(6, plan.Runs.Count);
        Assert.All(plan.Runs, r => Assert.Equal(("simple-cnn", "cifar10", "dropact"), (r.Model, r.Dataset, r.Activation)));
        Assert.Equal([0.95, 1.00], plan.Runs.Select(r => Math.Round(r.P!.Value, 2)).Distinct());
        Assert.Equal([1L, 1, 2, 2, 3, 3], plan.Runs.Select(r => r.Seed));   // seed-major: stopped early, still paired
        Assert.All(plan.Runs, r =>
        {
            var args = Arguments(r);
            Assert.Contains("--epochs 14", args);
            Assert.Contains("--schedule multistep:7,11", args);
            // The same run of the Figure 5 sweep (same seed and p) differs only in its schedule:
            // same split, data order and initial weights.
            var twin = figure5.Runs.Single(f => f.Seed == r.Seed && Math.Abs(f.P!.Value - r.P!.Value) < 1e-9);
            string Strip(string a) => a.Replace("--epochs 14", "").Replace("--schedule multistep:7,11", "")
                                       .Replace("--epochs 5", "").Replace("--schedule multistep:3", "");
            Assert.Equal(Strip(Arguments(twin)), Strip(args));
        });
    }

    [Fact]
    public void A_shipped_runs_fingerprint_is_the_one_its_committed_result_folder_records()
    {
        // results/figure5-convergence-cifar10-cpu/simple-cnn_cifar10_dropact_p0.95_s1/sweep-status.json: folders are matched
        // by fingerprint, so reading a spec differently must never change it.
        var run = Load("figure5-convergence-cifar10-cpu.json").Runs.Single(r => r.Id == "simple-cnn_cifar10_dropact_p0.95_s1");
        Assert.Equal("87e9aa523f12", run.Fingerprint);
    }

    [Fact]
    public void Figure5_decision_is_the_convergence_probe_with_twenty_seed_pairs_reusing_the_probes_runs()
    {
        var plan = Load("figure5-decision-cifar10-cpu.json");
        var probe = Load("figure5-convergence-cifar10-cpu.json");
        Assert.Equal(40, plan.Runs.Count);
        // Seed-major, two arms per seed: with two jobs each pair runs side by side, and finished pairs are a prefix.
        Assert.Equal(Enumerable.Range(1, 20).SelectMany(s => new[] { (long)s, s }), plan.Runs.Select(r => r.Seed));
        Assert.Equal(Enumerable.Repeat(new[] { 0.95, 1.00 }, 20).SelectMany(x => x), plan.Runs.Select(r => Math.Round(r.P!.Value, 2)));
        // Seeds 1-3 are the probe's runs (same id, same fingerprint): a sweep into the probe's folder skips them.
        Assert.Equal(probe.Runs.Select(r => (r.Id, r.Fingerprint)), plan.Runs.Take(6).Select(r => (r.Id, r.Fingerprint)));
        static string WithoutSeed(SweepRun r) => Arguments(r).Replace($"--seed {r.Seed} ", "").Replace(r.Id, "ID");
        Assert.All(plan.Runs.Skip(6), r => Assert.Equal(WithoutSeed(probe.Runs.Single(q => q.Seed == 1 && q.P == r.P)), WithoutSeed(r)));
    }

    [Fact]
    public void Table1_at_cpu_scale_is_two_resnet20s_with_three_activations_and_three_seeds()
    {
        var plan = Load("table1-cifar10-cpu.json");
        Assert.Equal(2 * 3 * 3, plan.Runs.Count);
        Assert.Equal(["preresnet-20", "resnet-20"], plan.Runs.Select(r => r.Model).Distinct());
        Assert.Equal(["relu", "rrelu", "dropact"], plan.Runs.Select(r => r.Activation).Distinct());
        Assert.All(plan.Runs.Where(r => r.Activation == "dropact"), r => Assert.Equal(0.95, r.P));
        Assert.All(plan.Runs, r =>
        {
            var args = Arguments(r);
            Assert.DoesNotContain("--no-augment", args);        // crop + flip
            Assert.DoesNotContain("--validation-split", args);  // the 10,000 test images
            Assert.DoesNotContain("--test-subset", args);
            Assert.Contains("--epochs 4", args);
        });
    }

    [Fact]
    public void Experiment2_is_resnet20_on_a_stratified_5000_with_three_activations_and_five_seeds_reusing_the_pilots_run()
    {
        var plan = Load("experiment2-resnet20-cifar10-5k.json");
        var pilot = Load("experiment2-pilot-resnet20-cifar10-5k.json").Runs.Single();
        Assert.Equal(15, plan.Runs.Count);
        // Seed-major, three arms per seed: finished seeds are a prefix, a seed's arms run side by side.
        Assert.Equal(Enumerable.Range(1, 5).SelectMany(s => new[] { (long)s, s, s }), plan.Runs.Select(r => r.Seed));
        Assert.Equal(Enumerable.Repeat(new[] { "relu", "dropact", "rrelu" }, 5).SelectMany(x => x), plan.Runs.Select(r => r.Activation));
        Assert.All(plan.Runs.Where(r => r.Activation == "dropact"), r => Assert.Equal(0.95, r.P));
        Assert.All(plan.Runs, r =>
        {
            Assert.Equal(("resnet-20", "cifar10"), (r.Model, r.Dataset));
            var args = Arguments(r);
            foreach (var part in new[] { "--train-subset 5000", "--stratified-subset", "--eval-every 5", "--epochs 200", "--schedule cosine", "--threads 1" })
                Assert.Contains(part, args);
            Assert.DoesNotContain("--no-augment", args);        // pad-4 crop + flip
            Assert.DoesNotContain("--validation-split", args);  // all 10,000 test images
            Assert.DoesNotContain("--test-subset", args);
        });
        // The pilot is the experiment's seed-1 ReLU run (same id, same fingerprint): a sweep into its folder reuses it.
        Assert.Equal((pilot.Id, pilot.Fingerprint), (plan.Runs[0].Id, plan.Runs[0].Fingerprint));
    }

    [Fact]
    public void The_accuracy_check_runs_resnet20_on_all_of_cifar10_in_two_compute_modes_with_the_same_three_seeds()
    {
        var fp32 = Load("accuracy-resnet20-cifar10-fp32.json");
        var fast = Load("accuracy-resnet20-cifar10-fast.json");
        Assert.Equal([1L, 2, 3], fp32.Runs.Select(r => r.Seed));
        Assert.Equal([1L, 2, 3], fast.Runs.Select(r => r.Seed));
        foreach (var (a, b) in fp32.Runs.Zip(fast.Runs))
        {
            Assert.Equal(("resnet-20", "cifar10", "relu"), (a.Model, a.Dataset, a.Activation));
            Assert.DoesNotContain("--channels-last", Arguments(a));
            Assert.DoesNotContain("--precision bf16", Arguments(a));
            // The fast arm is the same run in channels-last + bf16 and nothing else.
            Assert.Equal(Arguments(a), Arguments(b).Replace(" --channels-last", "").Replace(" --precision bf16", ""));
        }
    }

    [Fact]
    public void Every_shipped_spec_names_known_models_and_presets()
    {
        var specs = Directory.GetFiles(TestPaths.SweepsFolder, "*.json");
        Assert.True(specs.Length >= 3, $"expected the shipped specs in {TestPaths.SweepsFolder}");
        foreach (var file in specs)
        {
            var plan = SweepPlan.Load(file, "/tmp/plan-only", "/data");
            Assert.NotEmpty(plan.Runs);
            foreach (var run in plan.Runs)
            {
                ModelRegistry.Describe(run.Model);
                if (run.Preset is not null) PresetCatalog.Get(run.Preset);
            }
        }
    }
}
