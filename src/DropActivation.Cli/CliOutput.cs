using System.Text.Encodings.Web;
using System.Text.Json;
using DropActivation.Analysis.Reports;
using Spectre.Console;

namespace DropActivation.Cli;

/// <summary>
/// How every command writes: a Spectre console over the command's output, titled tables, the JSON
/// settings of <c>--json</c>, and library messages cleaned for the user. Progress lines:
/// <see cref="LineProgress"/>.
/// </summary>
internal static class CliOutput
{
    /// <summary>Indented JSON, the form of every command's <c>--json</c> (property names as in the C# records).</summary>
    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = true };

    /// <summary>Indented JSON with snake_case names and unescaped text (<c>dropact models --json</c>).</summary>
    public static JsonSerializerOptions SnakeCaseJson { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes an analysis result as JSON to <paramref name="path"/> and, with <c>--json</c> (<paramref name="print"/>),
    /// to <paramref name="output"/> as well; returns <paramref name="print"/> (then the command prints nothing else).
    /// </summary>
    public static bool WriteJson(string path, object result, bool print, TextWriter output)
    {
        string text = Fmt.ToJson(result);
        File.WriteAllText(path, text);
        if (print) output.WriteLine(text);
        return print;
    }

    /// <summary>A Spectre console writing to <paramref name="output"/>; 160 columns wide unless it is a terminal.</summary>
    public static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        if (!terminal) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }

    /// <summary>A Spectre table from headers and rows (cells escaped).</summary>
    public static Table Table(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var t = new Table { Title = new TableTitle(Markup.Escape(title)) };
        foreach (var h in headers) t.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var r in rows) t.AddRow(r.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        return t;
    }

    /// <summary>
    /// The message of a library's argument error without .NET's " (Parameter 'name')" suffix: the user
    /// typed a value on the command line, not a parameter of a method.
    /// </summary>
    public static string CleanMessage(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var m = e.Message;
        int i = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return i >= 0 ? m[..i] : m;
    }
}
