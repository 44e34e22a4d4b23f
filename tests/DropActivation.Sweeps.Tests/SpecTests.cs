namespace DropActivation.Sweeps.Tests;

public class SpecTests
{
    private const string Grid = """
        // comments are allowed
        {
          "name": "grid",
          "models": ["m1", "m2"],
          "datasets": ["cifar10"],
          "activations": ["relu", "dropact"],
          "p": {"from": 0.6, "to": 1.0, "step": 0.05},
          "seeds": {"from": 3, "count": 2},
          "preset": {"m1": "preset-a", "*": "preset-b"},
          "overrides": {"epochs": 2, "lr": 0.1, "cutout": true, "autoaugment": false, "dropact-stages": ["layer3", "layer4"], "schedule": "multistep:1,2"},
        }
        """;

    [Fact]
    public void A_p_range_expands_to_exact_decimal_steps()
    {
        var spec = SweepSpecReader.Parse(Grid, "grid.json");
        Assert.Equal(9, spec.PValues.Count);
        Assert.Equal(["0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90", "0.95", "1.00"], spec.PValues.Select(Format.P));
        Assert.Equal([3L, 4L], spec.Seeds);
    }

    [Fact]
    public void The_grid_expands_seed_major_in_a_fixed_order_with_p_only_for_drop_activation()
    {
        var plan = SweepPlan.Expand(SweepSpecReader.Parse(Grid, "grid.json"), "/tmp/x", "/data");
        // per model: relu 2 seeds + dropact 9 p × 2 seeds
        Assert.Equal(2 * (2 + 9 * 2), plan.Runs.Count);
        Assert.Equal("m1_cifar10_relu_s3", plan.Runs[0].Id);
        // seed-major: the whole grid (2 models × (relu + 9 p)) for seed 3, then for seed 4
        Assert.Equal("m1_cifar10_dropact_p0.60_s3", plan.Runs[1].Id);
        Assert.Equal("m2_cifar10_dropact_p1.00_s3", plan.Runs[19].Id);
        Assert.Equal("m1_cifar10_relu_s4", plan.Runs[20].Id);
        Assert.Equal("m2_cifar10_dropact_p1.00_s4", plan.Runs[^1].Id);
        Assert.Equal(Enumerable.Range(0, plan.Runs.Count), plan.Runs.Select(r => r.Index));
        Assert.All(plan.Runs, r => Assert.Equal(Path.Combine("/tmp/x", r.Id), r.Folder));
        Assert.Null(plan.Runs[0].P);
        Assert.Equal("preset-a", plan.Runs[0].Preset);
        Assert.Equal("preset-b", plan.Runs[^1].Preset);
    }

    [Fact]
    public void Train_arguments_carry_the_grid_point_and_every_override()
    {
        var plan = SweepPlan.Expand(SweepSpecReader.Parse(Grid, "grid.json"), "/tmp/x", "/data");
        var run = plan.Runs.Single(r => r.Id == "m2_cifar10_dropact_p0.95_s4");
        Assert.Equal(
            ["train", "--model", "m2", "--dataset", "cifar10", "--act", "dropact", "--p", "0.95", "--preset", "preset-b", "--seed", "4",
             "--epochs", "2", "--lr", "0.1", "--cutout", "--dropact-stages", "layer3", "layer4", "--schedule", "multistep:1,2",
             "--data", "/data", "--out", "/tmp/x/m2_cifar10_dropact_p0.95_s4"],
            run.TrainArguments("/data"));
        Assert.Equal(["train", "--resume", run.Folder, "--data", "/data"], run.ResumeArguments("/data"));
    }

    [Fact]
    public void Ids_and_fingerprints_are_stable_when_the_spec_grows_and_change_with_the_settings()
    {
        var small = SweepPlan.Expand(SweepSpecReader.Parse(Grid, "a"), "/tmp/x", "/data");
        var bigger = SweepPlan.Expand(SweepSpecReader.Parse(Grid.Replace("\"count\": 2", "\"count\": 5").Replace("\"m1\", \"m2\"", "\"m0\", \"m1\", \"m2\""), "b"), "/tmp/x", "/other-data");
        var byId = bigger.Runs.ToDictionary(r => r.Id);
        Assert.All(small.Runs, r => Assert.Equal(r.Fingerprint, byId[r.Id].Fingerprint));
        var changed = SweepPlan.Expand(SweepSpecReader.Parse(Grid.Replace("\"epochs\": 2", "\"epochs\": 3"), "c"), "/tmp/x", "/data");
        Assert.All(small.Runs.Zip(changed.Runs), pair =>
        {
            Assert.Equal(pair.First.Id, pair.Second.Id);
            Assert.NotEqual(pair.First.Fingerprint, pair.Second.Fingerprint);
        });
        Assert.Equal(small.Runs.Count, small.Runs.Select(r => r.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void The_frozen_copy_expands_into_the_same_runs()
    {
        var spec = SweepSpecReader.Parse(Grid, "grid.json");
        var original = SweepPlan.Expand(spec, "/tmp/x", "/data");
        var frozen = SweepSpecReader.Parse(SweepSpecWriter.ToJson(spec, "/data", "/tmp/x"), "frozen.json");
        Assert.Equal("/data", frozen.Data);
        Assert.Equal("/tmp/x", frozen.Out);
        var again = SweepPlan.Expand(frozen, frozen.Out!, frozen.Data);
        Assert.Equal(original.Runs.Select(r => (r.Index, r.Id, r.Fingerprint)), again.Runs.Select(r => (r.Index, r.Id, r.Fingerprint)));
        Assert.Equal(original.Runs[5].TrainArguments("/data"), again.Runs[5].TrainArguments("/data"));
    }

    [Theory]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1],"epochs":3}""", "unknown field 'epochs'")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1],"overrides":{"seed":3}}""", "may not set 'seed'")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1],"overrides":{"out":"y"}}""", "may not set 'out'")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"p":[0.9],"seeds":[1]}""", "no activation in 'activations' is a Drop-Activation")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["dropact"],"p":[0.9, 0.90],"seeds":[1]}""", "'p' lists 0.90 twice")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["dropact"],"p":[1.5],"seeds":[1]}""", "must lie in [0, 1]")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["dropact"],"p":{"from":0.6,"to":1.0,"step":0.07},"seeds":[1]}""", "not a whole number of steps")]
    [InlineData("""{"name":"x","models":["m","m"],"datasets":["d"],"activations":["relu"],"seeds":[1]}""", "'models' lists 'm' twice")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[-1]}""", "non-negative integers")]
    [InlineData("""{"name":"X Y","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1]}""", "'name' must be")]
    [InlineData("""{"name":"x","datasets":["d"],"activations":["relu"],"seeds":[1]}""", "'models' is missing")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1],""", "not valid JSON")]
    [InlineData("""[{"name":"x"}]""", "a sweep spec is a JSON object")]
    [InlineData("""{"name":7,"models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1]}""", "'name' must be a non-empty string")]
    [InlineData("""{"name":"x","models":"m","datasets":["d"],"activations":["relu"],"seeds":[1]}""", "'models' must be a non-empty list of names")]
    [InlineData("""{"name":"x","models":["m"],"datasets":[3],"activations":["relu"],"seeds":[1]}""", "'datasets' entries must be names")]
    [InlineData("""{"name":"x","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":{"from":1.5,"count":2}}""", "'seeds.from' must be an integer")]
    public void Bad_specs_fail_with_the_file_and_the_field(string json, string expected)
    {
        var e = Assert.Throws<SweepSpecException>(() => SweepSpecReader.Parse(json, "bad.json"));
        Assert.StartsWith("bad.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_per_model_preset_map_without_the_model_is_an_error_naming_it()
    {
        var spec = SweepSpecReader.Parse("""{"name":"x","models":["a","b"],"datasets":["d"],"activations":["relu"],"seeds":[1],"preset":{"a":"pa"}}""", "s");
        var e = Assert.Throws<SweepSpecException>(() => SweepPlan.Expand(spec, "/tmp/x", null));
        Assert.Contains("model 'b'", e.Message);
    }

    [Fact]
    public void Paths_in_a_spec_are_relative_to_the_spec_file_and_the_command_line_wins()
    {
        using var tmp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "specs"));
        var path = tmp.File("specs/s.json", """{"name":"s","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1],"data":"../data","out":"out/s"}""");
        var plan = SweepPlan.Load(path, null, null);
        Assert.Equal(Path.Combine(tmp.Path, "data"), plan.DataRoot);
        Assert.Equal(Path.Combine(tmp.Path, "specs", "out", "s"), plan.Root);
        var overridden = SweepPlan.Load(path, Path.Combine(tmp.Path, "elsewhere"), "/d");
        Assert.Equal(Path.Combine(tmp.Path, "elsewhere"), overridden.Root);
        Assert.Equal("/d", overridden.DataRoot);
        var noData = SweepPlan.Load(tmp.File("n.json", """{"name":"n","models":["m"],"datasets":["d"],"activations":["relu"],"seeds":[1]}"""), null, null);
        Assert.Null(noData.DataRoot);
        Assert.Equal(Path.GetFullPath(Path.Combine("runs", "n")), noData.Root);
        Assert.Contains("pass --data", Assert.Throws<SweepSpecException>(() => noData.RequireDataRoot()).Message);
    }

    [Fact]
    public void A_sweep_chooses_svhns_train_plus_extra_split_like_any_train_option()
    {
        var spec = SweepSpecReader.Parse("""{"name":"svhn","models":["wrn-16-8"],"datasets":["svhn"],"activations":["relu"],"seeds":[1],"overrides":{"train-split":"train+extra"}}""", "s");
        var run = Assert.Single(SweepPlan.Expand(spec, "/tmp/svhn", "/data").Runs);
        var args = string.Join(' ', run.TrainArguments("/data"));
        Assert.Contains("--dataset svhn", args);
        Assert.Contains("--train-split train+extra", args);
    }
}
