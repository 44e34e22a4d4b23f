using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DropActivation.Training.Presets;

namespace DropActivation.Cli.Commands;

/// <summary><c>dropact presets</c>: the paper's training recipes (Tables 6–8) with their values.</summary>
internal static class PresetsCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("presets", "List the paper's training recipes (Appendix 8.3, Tables 6-8) with their values.") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(PresetCatalog.All, CliOutput.Json));
                return ExitCodes.Success;
            }
            output.WriteLine($"{"name",-20} {"source",-26} {"batch",5} {"epochs",6} {"lr",6} {"schedule",-18} {"gamma",5} {"wd",7} {"mom",4} {"dropout",7} {"DA stages",9}  models / data sets");
            foreach (var p in PresetCatalog.All)
            {
                string sched = p.Schedule == "multistep" ? $"multistep {string.Join("/", p.Milestones)}" : p.Schedule;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Name,-20} {p.Source,-26} {p.BatchSize,5} {p.Epochs,6} {p.LearningRate,6} {sched,-18} {p.Gamma,5} {p.WeightDecay,7:0.0e0} {p.Momentum,4} {(p.Dropout?.ToString(CultureInfo.InvariantCulture) ?? "-"),7} {(p.DropActLastStages is { } n ? $"last {n}" : "all"),9}  {string.Join(", ", p.Models)} / {string.Join(", ", p.Datasets)}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
