using System.CommandLine;
using DropActivation.Cli.Commands.Export;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact export</c>: writes a checkpoint's model in a deployment format. The options every format
/// shares are parsed here; each format's own options and work live in Commands/Export (ONNX: <see cref="OnnxExport"/>).
/// </summary>
internal static class ExportCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = { "onnx" };

    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint file (RUN/checkpoint.dact or RUN/best.dact).", Required = true };
        var format = new Option<string>("--format") { Description = $"Output format: {string.Join(", ", Formats)}.", Required = true };
        format.AcceptOnlyFromAmong(Formats);
        var outPath = new Option<string>("--out") { Description = "The file to write.", Required = true };
        var command = new Command("export", "Export a checkpoint's model for deployment (ONNX: evaluation form, runs in ONNX Runtime).")
        { checkpoint, format, outPath };
        var onnx = OnnxExport.AddOptions(command);
        command.SetAction(parse =>
        {
            string from = parse.GetValue(checkpoint)!, to = parse.GetValue(outPath)!;
            return parse.GetValue(format) switch
            {
                "onnx" => onnx.Run(parse, from, to, output),
                var other => throw new UsageError($"Unknown export format '{other}'. Valid: {string.Join(", ", Formats)}."),
            };
        });
        return command;
    }
}
