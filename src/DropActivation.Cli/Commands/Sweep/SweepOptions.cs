using System.CommandLine;
using DropActivation.Sweeps.Planning;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>The spec argument and the --out/--data options every sweep command takes.</summary>
internal sealed class SweepOptions
{
    public Argument<string> Spec { get; } = new("spec") { Description = "Sweep spec file (JSON), e.g. sweeps/figure5-psweep.json." };

    public Option<string?> Out { get; } = new("--out") { Description = "Output folder of the sweep (default: the spec's \"out\", else runs/<name>)." };

    public Option<string?> Data { get; } = new("--data") { Description = "Data root passed to train (default: the spec's \"data\")." };

    public void AddTo(Command command)
    {
        command.Add(Spec);
        command.Add(Out);
        command.Add(Data);
    }

    /// <summary>
    /// Loads and expands the spec, then checks each distinct run as <c>dropact train</c> would (option names, values, ranges),
    /// so that a bad override fails here, naming the spec file, before anything runs or is submitted.
    /// </summary>
    public SweepPlan Load(ParseResult parse)
    {
        var path = parse.GetValue(Spec)!;
        var plan = SweepPlan.Load(path, parse.GetValue(Out), parse.GetValue(Data));
        foreach (var run in plan.Runs.DistinctBy(r => (r.Model, r.Dataset, r.Activation, r.P, r.Preset)))
        {
            try { TrainCommand.Resolve(run.TrainArguments(plan.DataRoot ?? ".")); }
            catch (UsageError e) { throw new UserError($"{path}: run {run.Id} is not a valid 'dropact train': {e.Message}", e); }
        }
        return plan;
    }
}
