using System.CommandLine;
using DropActivation.Cli.Commands.Sweep;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact sweep plan|run|submit|status|report SPEC</c>: grids of training runs from a spec file
/// (see <c>sweeps/*.json</c>), run on this machine N at a time or as a Slurm job array, skipping finished
/// runs and resuming interrupted ones.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("sweep",
            "Grids of training runs from a spec file: plan them, run them here N at a time, submit them as a Slurm job array, see their status, report them.");
        command.Add(SweepPlanCommand.Create(output));
        command.Add(SweepRunCommand.Create(output));
        command.Add(SweepSubmitCommand.Create(output));
        command.Add(SweepStatusCommand.Create(output));
        command.Add(SweepReportCommand.Create(output));
        command.Add(SweepTaskCommand.Create(output));
        return command;
    }
}
