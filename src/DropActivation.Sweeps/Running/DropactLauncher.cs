using System.Reflection;

namespace DropActivation.Sweeps.Running;

/// <summary>
/// How to start <c>dropact</c> again (for each run, and from Slurm array tasks): the executable and the
/// arguments before the command, e.g. <c>/usr/bin/dotnet /opt/dropact/dropact.dll</c> when hosted by
/// <c>dotnet</c>, or just <c>/opt/dropact/dropact</c> for the native launcher.
/// </summary>
/// <param name="FileName">Absolute path of the executable.</param>
/// <param name="PrefixArguments">Arguments before dropact's own (the assembly path under <c>dotnet</c>).</param>
public sealed record DropactLauncher(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The dropact this process is: <see cref="Environment.ProcessPath"/>, plus the entry assembly when the process is <c>dotnet</c>.</summary>
    /// <exception cref="InvalidOperationException">The process path or entry assembly is unknown.</exception>
    public static DropactLauncher Current()
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable this process runs (Environment.ProcessPath is null)");
        if (!string.Equals(Path.GetFileNameWithoutExtension(exe), "dotnet", StringComparison.OrdinalIgnoreCase))
            return new DropactLauncher(exe, Array.Empty<string>());
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) throw new InvalidOperationException("cannot tell which assembly dotnet runs (no entry assembly location)");
        return new DropactLauncher(exe, [entry]);
    }

    /// <summary>The whole command line for <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> CommandLine(IEnumerable<string> arguments) => [FileName, .. PrefixArguments, .. arguments];
}
