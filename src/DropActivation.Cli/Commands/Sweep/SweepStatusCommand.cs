using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Status;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// <c>dropact sweep status SPEC [--json]</c>: done / running / failed / pending per run, read from the run
/// folders and, for submitted runs, from Slurm where it is reachable, with the machine time each run has logged
/// (its epochs' wall-clock seconds) and their sum.
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
            var seconds = statuses.Select(s => TrainRunFolder.SecondsLogged(s.Run.Folder)).ToList();
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    name = plan.Spec.Name,
                    root = plan.Root,
                    slurm = slurm.UnavailableReason is null ? "reachable" : slurm.UnavailableReason,
                    counts = counts.Where(kv => kv.Value > 0 || kv.Key != RunState.Conflict).ToDictionary(kv => Name(kv.Key), kv => kv.Value),
                    seconds_logged = seconds.Sum(),
                    runs = statuses.Select((s, i) => new
                    {
                        index = s.Run.Index, id = s.Run.Id, state = Name(s.State), detail = s.Detail, folder = s.Run.Folder,
                        slurm_task = s.SlurmTask, attempts = s.Record?.Attempts ?? 0, exit_code = s.Record?.ExitCode, seconds_logged = seconds[i],
                    }),
                }, CliOutput.Json));
                return ExitCodes.Success;
            }
            int width = Math.Max(2, statuses.Max(s => s.Run.Id.Length));
            int iw = Math.Max(1, (statuses.Count - 1).ToString().Length);
            output.WriteLine($"sweep {plan.Spec.Name}: {plan.Root}");
            output.WriteLine($"{"#".PadLeft(iw)}  {"id".PadRight(width)}  {"state",-8}  detail");
            for (int i = 0; i < statuses.Count; i++)
            {
                var s = statuses[i];
                output.WriteLine($"{s.Run.Index.ToString().PadLeft(iw)}  {s.Run.Id.PadRight(width)}  {Name(s.State),-8}  {s.Detail}" +
                                 (seconds[i] > 0 ? $", {Seconds(seconds[i])}" : ""));
            }
            output.WriteLine($"{counts[RunState.Done]} done, {counts[RunState.Running]} running, {counts[RunState.Failed]} failed, {counts[RunState.Pending]} pending" +
                (counts[RunState.Conflict] > 0 ? $", {counts[RunState.Conflict]} conflicting" : "") + $" (of {statuses.Count})");
            if (seconds.Sum() > 0)
                output.WriteLine($"Machine time logged: {Seconds(seconds.Sum())} = {(seconds.Sum() / 3600).ToString("0.00", CultureInfo.InvariantCulture)} run-hours " +
                                 "(the sum over runs of their epochs' wall-clock seconds, training and test)");
            if (statuses.Any(s => s.SlurmTask is not null) && slurm.UnavailableReason is { } why)
                output.WriteLine($"Slurm: not asked ({why})");
            if (counts[RunState.Done] > 0) output.WriteLine($"Results: dropact sweep report {parse.GetValue(options.Spec)}{Extra(parse, options)}");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Name(RunState s) => s.ToString().ToLowerInvariant();

    private static string Seconds(double s) => s.ToString("#,0", CultureInfo.InvariantCulture) + " s";

    private static string Extra(ParseResult parse, SweepOptions options) =>
        parse.GetValue(options.Out) is { } o ? $" --out {o}" : "";
}
