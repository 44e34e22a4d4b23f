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

    public SweepPlan Load(ParseResult parse) => SweepPlan.Load(parse.GetValue(Spec)!, parse.GetValue(Out), parse.GetValue(Data));
}
