using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DropActivation.Models.Registry;
using Spectre.Console;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact models [NAME...] [--filter GLOB] [--json]</c>: the model zoo — every model of the paper (or the named
/// ones, parametric forms included; <c>--filter 'wrn*'</c> keeps the names that match) with its parameter count for 10, 100 (and 1000 for ImageNet models)
/// classes, its number of activation layers, input, stages and reference implementation.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var names = new Argument<string[]>("name")
        {
            Description = "Models to show (default: the paper's models). Parametric forms such as wrn-40-4 or densenet-bc-250-24 work too.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var filter = new Option<string?>("--filter") { Description = "Only the names that match this glob (* any text, ? one character), e.g. 'resnet*'." };
        var command = new Command("models", "List the model zoo: parameters for 10/100/1000 classes, activation layers, stages.") { names, filter, json };
        command.SetAction(parse =>
        {
            var requested = ModelRegistry.List(parse.GetValue(filter), parse.GetValue(names) is { Length: > 0 } given ? given : null);
            var rows = requested.Select(Summarise).ToList();
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(rows, CliOutput.SnakeCaseJson));
            else
                WriteTable(output, rows);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The summary of a model; an unknown name is a usage error, a failure to build the model is not.</summary>
    private static ModelSummary Summarise(string name)
    {
        Choices.Usage(() => ModelRegistry.Describe(name));
        return ModelSummary.Of(name);
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<ModelSummary> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        // Redirected output has no terminal width; keep one model per line.
        console.Profile.Width = Math.Max(console.Profile.Width, 150);
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("model");
        table.AddColumn("input");
        table.AddColumn(new TableColumn("params (10)").RightAligned());
        table.AddColumn(new TableColumn("params (100)").RightAligned());
        table.AddColumn(new TableColumn("params (1000)").RightAligned());
        table.AddColumn(new TableColumn("act. layers").RightAligned());
        table.AddColumn("stages");
        foreach (var r in rows)
        {
            string P(int classes) => r.Parameters.TryGetValue(classes, out var n) ? Grouped(n) : "-";
            string ten = ModelRegistry.Describe(r.Name).TakesFeatures ? $"{Grouped(r.Parameters.Values.Single())} (1 out)" : P(10);
            table.AddRow(Markup.Escape(r.Name), string.Join('×', r.Input), ten, P(100), P(1000),
                r.ActivationLayers.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(",", r.Stages)));
        }
        console.Write(table);
    }

    private static string Grouped(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
