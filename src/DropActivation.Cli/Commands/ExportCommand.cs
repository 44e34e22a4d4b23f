using System.CommandLine;
using DropActivation.Cli.Commands.Export;
using DropActivation.Training.Interop;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact export</c>: writes a checkpoint's model in a format other tools read. The options every format
/// shares and the choice of format live here; each format's own options and work live in Commands/Export
/// (ONNX: <see cref="OnnxExport"/>; PyTorch state dicts: <see cref="PyTorchExport"/>).
/// </summary>
internal static class ExportCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = { "onnx", "pytorch", "safetensors" };

    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint file (RUN/checkpoint.dact or RUN/best.dact).", Required = true };
        var format = new Option<string>("--format") { Description = $"Output format: {string.Join(", ", Formats)} (pt is short for pytorch).", Required = true };
        var outPath = new Option<string>("--out") { Description = "The file to write (model.onnx, model.pt, model.safetensors).", Required = true };
        var command = new Command("export", "Export a checkpoint's model: ONNX (evaluation form, runs in ONNX Runtime) or PyTorch weights " +
                                            "(a state dict with the reference implementation's key names).")
        { checkpoint, format, outPath };
        var onnx = OnnxExport.AddOptions(command);
        command.SetAction(parse =>
        {
            string name = parse.GetValue(format)!;
            string from = parse.GetValue(checkpoint)!, to = parse.GetValue(outPath)!;
            switch (name.Trim().ToLowerInvariant())
            {
                case "onnx":
                    return onnx.Run(parse, from, to, output);
                case "pytorch" or "pt" or "safetensors":
                    PyTorchExport.Run(from, WeightFormats.Parse(name), to, output);
                    return ExitCodes.Success;
                default:
                    throw new UsageError($"Unknown export format '{name}'. Valid: {string.Join(", ", Formats)}.");
            }
        });
        return command;
    }
}
