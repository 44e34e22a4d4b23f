using System.CommandLine;
using System.Reflection;
using DropActivation.Cli.Commands;
using DropActivation.Sweeps.Running;
using DropActivation.Sweeps.Slurm;
using DropActivation.Sweeps.Specs;
using DropActivation.Training;

namespace DropActivation.Cli;

/// <summary>
/// The <c>dropact</c> command line: builds the command tree, turns parse errors into exit code 2
/// and runtime errors into one clear message with exit code 1 (stack trace with --verbose). Commands
/// let the libraries' errors through: this is the one place that maps them.
/// </summary>
public static class CliApp
{
    /// <summary>Shows stack traces of runtime errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces of errors.", Recursive = true };

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static RootCommand BuildRoot(TextWriter output)
    {
        var root = new RootCommand(
            "Drop-Activation for .NET: the regulariser of Liang, Khoo & Yang on TorchSharp. " +
            "Layers, the paper's models, data, training recipes and analyses.");
        root.Add(Verbose);
        // --version prints this tool's version, also when dropact runs inside another host (tests).
        foreach (var option in root.Options.OfType<VersionOption>()) option.Action = new PrintVersionAction();
        root.Add(InfoCommand.Create(output));
        root.Add(DataCommand.Create(output));
        root.Add(ModelsCommand.Create(output));
        root.Add(TheoryCommand.Create(output));
        root.Add(RegressCommand.Create(output));
        root.Add(DemoCommand.Create(output));
        root.Add(TrainCommand.Create(output));
        root.Add(EvalCommand.Create(output));
        root.Add(ExportCommand.Create(output));
        root.Add(ReportCommand.Create(output));
        root.Add(PresetsCommand.Create(output));
        root.Add(SweepCommand.Create(output));
        root.Add(SweepPCommand.Create(output));
        root.Add(ShiftRatioCommand.Create(output));
        root.Add(TimingCommand.Create(output));
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(BuildRoot(output), args, output, error);

    /// <summary>Runs a command tree with dropact's error handling (the tests inject failing commands here).</summary>
    internal static int Run(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run 'dropact --help' for usage.");
            return ExitCodes.UsageError;
        }
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is UsageError inner)
        {
            error.WriteLine($"error: {inner.Message}");
            if (verbose) error.WriteLine(inner);
            return ExitCodes.UsageError;
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            error.WriteLine($"error: {inner.Message}");
            if (verbose) error.WriteLine(inner);
            else if (!IsUserError(inner)) error.WriteLine("(run with --verbose for details)");
            return ExitCodes.RuntimeError;
        }
    }

    /// <summary>
    /// The one map of the libraries' errors a user can fix (a bad file or folder, a bad spec, a diverged
    /// run, an unreachable cluster): their message alone, exit code 1. The file and data errors of every
    /// library are <see cref="IOException"/>s (checkpoints, weights, data sets); the others are listed.
    /// Anything else is a bug: the message and a pointer to --verbose.
    /// </summary>
    private static bool IsUserError(Exception e) =>
        e is UserError or IOException or UnauthorizedAccessException or InvalidDataException or NonFiniteLossException
            or SweepSpecException or SweepConflictException or SlurmUnavailableException or SlurmCommandException;

    private static Exception Unwrap(Exception e)
    {
        while ((e is AggregateException or TargetInvocationException) && e.InnerException is not null) e = e.InnerException;
        return e;
    }
}

/// <summary>Prints <see cref="CliApp.Version"/>.</summary>
internal sealed class PrintVersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(CliApp.Version);
        return ExitCodes.Success;
    }
}
