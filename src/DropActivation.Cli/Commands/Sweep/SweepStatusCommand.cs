using System.CommandLine;
using System.Text.Json;
using DropActivation.Sweeps.Status;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep status SPEC [--json]</c>: done / running / failed / pending per run, read from the run
/// folders and, for submitted runs, from Slurm where it is reachable.
/// </summary>
internal static class SweepStatusCommand
{
    public static Command Create(TextWriter output)
    {
        var options = new SweepOptions();
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("status", "Show done / running / failed / pending per run (from the run folders, and Slurm where it is reachable).");
        options.AddTo(command);
        command.Add(json);
        command.SetAction(parse =>
        {
            var plan = options.Load(parse);
            var slurm = SlurmObserver.Connect();
            var statuses = SweepStatusReader.Read(plan, slurm);
            var counts = Enum.GetValues<RunState>().ToDictionary(s => s, s => statuses.Count(x => x.State == s));
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    name = plan.Spec.Name,
                    root = plan.Root,
                    slurm = slurm.UnavailableReason is null ? "reachable" : slurm.UnavailableReason,
                    counts = counts.Where(kv => kv.Value > 0 || kv.Key != RunState.Conflict).ToDictionary(kv => Name(kv.Key), kv => kv.Value),
                    runs = statuses.Select(s => new
                    {
                        index = s.Run.Index, id = s.Run.Id, state = Name(s.State), detail = s.Detail, folder = s.Run.Folder,
                        slurm_task = s.SlurmTask, attempts = s.Record?.Attempts ?? 0, exit_code = s.Record?.ExitCode,
                    }),
                }, CliOutput.Json));
                return ExitCodes.Success;
            }
            int width = Math.Max(2, statuses.Max(s => s.Run.Id.Length));
            int iw = Math.Max(1, (statuses.Count - 1).ToString().Length);
            output.WriteLine($"sweep {plan.Spec.Name}: {plan.Root}");
            output.WriteLine($"{"#".PadLeft(iw)}  {"id".PadRight(width)}  {"state",-8}  detail");
            foreach (var s in statuses)
                output.WriteLine($"{s.Run.Index.ToString().PadLeft(iw)}  {s.Run.Id.PadRight(width)}  {Name(s.State),-8}  {s.Detail}");
            output.WriteLine($"{counts[RunState.Done]} done, {counts[RunState.Running]} running, {counts[RunState.Failed]} failed, {counts[RunState.Pending]} pending" +
                (counts[RunState.Conflict] > 0 ? $", {counts[RunState.Conflict]} conflicting" : "") + $" (of {statuses.Count})");
            if (statuses.Any(s => s.SlurmTask is not null) && slurm.UnavailableReason is { } why)
                output.WriteLine($"Slurm: not asked ({why})");
            if (counts[RunState.Done] > 0) output.WriteLine($"Results: dropact sweep report {parse.GetValue(options.Spec)}{Extra(parse, options)}");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Name(RunState s) => s.ToString().ToLowerInvariant();

    private static string Extra(ParseResult parse, SweepOptions options) =>
        parse.GetValue(options.Out) is { } o ? $" --out {o}" : "";
}
