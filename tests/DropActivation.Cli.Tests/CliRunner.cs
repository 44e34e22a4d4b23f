using DropActivation.Cli;

namespace DropActivation.TestSupport;

/// <summary>Runs <c>dropact</c> in-process and captures what it prints (linked into every test project that drives the CLI).</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
