using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DropActivation.Training;
using DropActivation.Training.Checkpoints;
using DropActivation.Training.Evaluation;

namespace DropActivation.Cli.Commands;

/// <summary><c>dropact eval</c>: top-1 (and top-5) test error of a checkpoint, in evaluation mode.</summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint file (RUN/checkpoint.dact or RUN/best.dact).", Required = true };
        var data = new Option<string>("--data") { Description = "Data root folder.", Required = true };
        var batch = new Option<int>("--batch-size") { Description = "Evaluation batch size.", DefaultValueFactory = _ => 256 };
        var subset = new Option<int?>("--test-subset") { Description = "Evaluate on a fixed random subset (default: the checkpoint's, else all)." };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: default).", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var precision = new Option<string?>("--precision") { Description = "fp32 or bf16 (default: the run's own, fp32 where this CPU would emulate bf16)." };
        var channelsLast = new Option<bool?>("--channels-last") { Description = "Channels-last memory order (default: the run's own)." };
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("eval", "Evaluate a checkpoint: top-1 (and top-5) test error in evaluation mode.")
        { checkpoint, data, batch, subset, threads, device, precision, channelsLast, json };
        command.SetAction(parse =>
        {
            EvalResult r;
            CheckpointHeader h;
            try
            {
                var header = CheckpointFile.ReadHeader(parse.GetValue(checkpoint)!);
                ComputeMode? mode = null;
                if (parse.GetValue(precision) is { } given) ComputeMode.IsBFloat16(given);
                if (parse.GetValue(precision) is not null || parse.GetValue(channelsLast) is not null)
                    mode = new ComputeMode(parse.GetValue(channelsLast) ?? header.Options.ChannelsLast, (parse.GetValue(precision) ?? header.Options.Precision) == "bf16");
                (h, r) = CheckpointEvaluation.Run(parse.GetValue(checkpoint)!, parse.GetValue(data)!, parse.GetValue(batch),
                    parse.GetValue(subset), parse.GetValue(threads), parse.GetValue(device)!, mode);
            }
            catch (ArgumentException e) { throw new UsageError(e.Message); }
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = h.Options.Model, dataset = h.Options.Dataset, activation = h.Options.Activation, p = h.Options.P, epoch = h.Epoch,
                    samples = r.Samples, loss = r.Loss, top1_error = r.Top1Error, top5_error = r.Top5Error,
                }, CliOutput.Json));
            }
            else
            {
                output.WriteLine($"{h.Options.Model} / {h.Options.Dataset} / {h.Options.Activation} after epoch {h.Epoch}: {r.Samples} test images");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top-1 error {100 * r.Top1Error:0.00}%"));
                if (r.Top5Error is { } t5) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top-5 error {100 * t5:0.00}%"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss        {r.Loss:0.0000}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
