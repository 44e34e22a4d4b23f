using System.CommandLine;
using DropActivation.Cli.Commands.Export;
using DropActivation.Training.Interop;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact export</c>: writes a checkpoint's model in a format other tools read. Option parsing and the choice of
/// format live here; each format's work lives in its own file under Commands/Export.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint file (RUN/checkpoint.dact or RUN/best.dact).", Required = true };
        var format = new Option<string>("--format") { Description = $"Output format: {WeightFormats.Names}.", Required = true };
        var outPath = new Option<string>("--out") { Description = "The file to write (e.g. model.pt, model.safetensors).", Required = true };
        var command = new Command("export", "Export a checkpoint's weights for PyTorch (a state dict with the reference implementation's key names).")
        { checkpoint, format, outPath };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(format)!;
            string source = parse.GetValue(checkpoint)!, target = parse.GetValue(outPath)!;
            switch (name.Trim().ToLowerInvariant())
            {
                case "pytorch" or "pt" or "safetensors":
                    PyTorchExport.Run(source, WeightFormats.Parse(name), target, output);
                    break;
                default:
                    throw new UsageError($"Unknown export format '{name}'. Valid: {WeightFormats.Names}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
