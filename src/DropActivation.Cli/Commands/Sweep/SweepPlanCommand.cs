using System.CommandLine;
using System.Text.Json;
using DropActivation.Sweeps.Running;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary><c>dropact sweep plan SPEC [--json]</c>: the runs a spec expands into: index, stable id, folder and train command.</summary>
internal static class SweepPlanCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new SweepOptions();
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("plan", "Print the runs a sweep spec expands into (index, id, train arguments).");
        options.AddTo(command);
        command.Add(json);
        command.SetAction(parse =>
        {
            var plan = options.Load(parse);
            var data = plan.DataRoot ?? "<data root: pass --data>";
            if (parse.GetValue(json))
            {
                var rows = plan.Runs.Select(r => new
                {
                    index = r.Index, id = r.Id, folder = r.Folder, fingerprint = r.Fingerprint,
                    model = r.Model, dataset = r.Dataset, activation = r.Activation, p = r.P, seed = r.Seed, preset = r.Preset,
                    arguments = r.TrainArguments(data),
                });
                output.WriteLine(JsonSerializer.Serialize(new { name = plan.Spec.Name, root = plan.Root, data = plan.DataRoot, runs = rows },
                    CliOutput.Json));
                return ExitCodes.Success;
            }
            output.WriteLine($"sweep {plan.Spec.Name}: {plan.Runs.Count} runs in {plan.Root}");
            if (plan.Spec.Description is { } d) output.WriteLine(d);
            output.WriteLine($"data: {data}");
            int width = plan.Runs.Max(r => r.Id.Length);
            int iw = (plan.Runs.Count - 1).ToString().Length;
            foreach (var r in plan.Runs)
            {
                // The folder and data root follow one pattern for every run: show the rest.
                var shown = Strip(r.TrainArguments(data), "--data", "--out");
                output.WriteLine($"{r.Index.ToString().PadLeft(iw)}  {r.Id.PadRight(width)}  dropact {ShellQuote.Join(shown)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<string> Strip(IReadOnlyList<string> args, params string[] options)
    {
        var kept = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (options.Contains(args[i]) && i + 1 < args.Count) { i++; continue; }
            kept.Add(args[i]);
        }
        return kept;
    }
}
