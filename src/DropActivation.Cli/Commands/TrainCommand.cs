using System.CommandLine;
using DropActivation.Cli.Commands.Training;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Training.Checkpoints;
using DropActivation.Training.Interop;
using DropActivation.Training;

namespace DropActivation.Cli.Commands;

/// <summary>
/// <c>dropact train</c>: trains a zoo model on a data set with ReLU, RReLU or Drop-Activation using the
/// paper's recipe (preset) or flags; <c>--seeds N</c> runs N seeds into OUT/seed-K; <c>--resume DIR</c> continues a run exactly.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("train", "Train a model with ReLU, RReLU or Drop-Activation using the paper's recipes.");
        foreach (var (property, flag) in TrainOverrides.Flags)
            command.Add(Flag(property.PropertyType, flag.Name,
                flag.Name == "--act" ? $"{flag.Help} Valid: {Choices.Activations}." : flag.Help,   // the names from the activation table
                property.GetValue(TrainOverrides.Defaults)));
        var data = new Option<string>("--data") { Description = "Data root folder (holds <dataset>/...); not needed for a folder:PATH data set." };
        var seeds = new Option<int>("--seeds") { Description = "Run this many seeds (seed, seed+1, ...) into OUT/seed-K.", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default runs/<model>-<dataset>-<act>)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its checkpoint (exactly); --epochs N extends it to N epochs." };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after this many completed epochs (resumable with --resume), e.g. to fit a time slot." };
        var checkpointEvery = new Option<double>("--checkpoint-every")
        {
            Description = "Also write a checkpoint inside an epoch every this many minutes, so that a kill -9 loses at most that much (0: only at epoch ends).",
            DefaultValueFactory = _ => Trainer.DefaultRecoveryInterval.TotalMinutes,
        };
        foreach (var option in new Option[] { data, seeds, outDir, resume, stopAfter, checkpointEvery }) command.Add(option);
        command.SetAction(parse =>
        {
            var monitor = new ConsoleMonitor(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
            double minutes = parse.GetValue(checkpointEvery);
            if (!(minutes >= 0) || double.IsInfinity(minutes)) throw new UsageError($"--checkpoint-every must be a number of minutes ≥ 0, got {minutes}.");
            var trainer = new Trainer(monitor) { RecoveryInterval = minutes == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMinutes(minutes) };
            // SIGTERM / SIGINT / SIGUSR1: finish the step, checkpoint the position, exit with ExitCodes.Stopped.
            using var signals = new SignalCancellation();
            string? root = parse.GetValue(data);
            if (parse.GetValue(resume) is not null && parse.GetValue<string?>("--init-from") is not null)
                throw new UsageError("--init-from starts a new run; --resume continues one from its own checkpoint.");
            if (parse.GetValue(resume) is { } resumeDir)
            {
                string dataRoot = root ?? throw new UsageError("--data is required with --resume: the data root the run trains on.");
                var s = Choices.Usage(() => trainer.Resume(resumeDir, dataRoot, parse.GetValue<int?>("--epochs"), parse.GetValue(stopAfter), signals.Token));
                return Report(output, resumeDir, root, s, signals);
            }
            if (root is null && parse.GetValue<string?>("--dataset") is { } d && !d.StartsWith(DataSets.FolderPrefix, StringComparison.OrdinalIgnoreCase))
                throw new UsageError($"--data is required: the folder that holds {d}/ (only a folder:PATH data set needs none).");
            var options = Resolve(parse);
            int n = parse.GetValue(seeds);
            if (n < 1) throw new UsageError($"--seeds must be at least 1, got {n}.");
            long first = options.Seed;
            string baseDir = parse.GetValue(outDir) ?? Path.Combine("runs", $"{options.Model}-{DataSets.FileLabel(options.Dataset)}-{options.Activation}");
            output.WriteLine($"{options.Model} on {options.Dataset}, {ActLabel(options)}, preset {options.Preset ?? "(none)"}: " +
                             $"{options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate} {options.Schedule}" +
                             $"{(options.Schedule == "multistep" ? $" [{string.Join(",", options.Milestones)}] × {options.Gamma}" : "")}, " +
                             $"wd {options.WeightDecay}, momentum {options.Momentum}" +
                             (options.TrainSplit != "train" ? $", training split {options.TrainSplit}" : ""));
            for (int k = 0; k < n; k++)
            {
                var run = options with { Seed = first + k };
                string dir = n == 1 ? baseDir : Path.Combine(baseDir, $"seed-{run.Seed}");
                if (File.Exists(new RunFolder(dir).Checkpoint))
                    throw new UserError($"{dir} already holds a run; use --resume {dir} to continue it, or another --out.");
                if (n > 1) output.WriteLine($"seed {run.Seed} → {dir}");
                var s = trainer.Train(run, root ?? "", dir, parse.GetValue(stopAfter), signals.Token);
                if (Report(output, dir, root, s, signals) == ExitCodes.Stopped) return ExitCodes.Stopped;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The checked options of a fresh run from train's command line (flags, else the preset, else the defaults): what
    /// <c>dropact train</c> trains, and what a sweep's plan checks each of its runs with before anything runs.
    /// </summary>
    /// <exception cref="UsageError">A missing, unknown or out-of-range value.</exception>
    internal static TrainOptions Resolve(ParseResult parse)
    {
        var given = new TrainOverrides();
        foreach (var (property, flag) in TrainOverrides.Flags) property.SetValue(given, parse.GetValue<object>(flag.Name));
        if (given.Model is null) throw new UsageError($"--model is required. Valid: {Choices.Models}.");
        if (given.Dataset is null) throw new UsageError($"--dataset is required. Valid: {Choices.Datasets}.");
        var options = Choices.Usage(() => TrainOptionsResolver.Resolve(given));
        if (options.InitFrom is not { } init) return options;
        WeightFormats.Detect(init);
        return options with { InitFrom = Path.GetFullPath(init) };
    }

    /// <summary>The checked options of the <c>dropact train</c> that <paramref name="arguments"/> (starting with "train") would run.</summary>
    /// <exception cref="UsageError">An unknown option, a malformed value, or one <see cref="Resolve(ParseResult)"/> rejects.</exception>
    internal static TrainOptions Resolve(IReadOnlyList<string> arguments)
    {
        var parse = Create(TextWriter.Null).Parse(arguments.Skip(1).ToArray());
        return parse.Errors.Count > 0 ? throw new UsageError(parse.Errors[0].Message) : Resolve(parse);
    }

    /// <summary>An option of type <paramref name="type"/>; a value in <see cref="TrainOverrides.Defaults"/> is shown in the help.</summary>
    private static Option Flag(Type type, string name, string help, object? fallback)
    {
        var option = (Option)Activator.CreateInstance(typeof(Option<>).MakeGenericType(type), name, Array.Empty<string>())!;
        option.Description = fallback is null or false ? help : FormattableString.Invariant($"{help} [default: {fallback}]");
        option.AllowMultipleArgumentsPerToken = type.IsArray;
        return option;
    }

    private static string ActLabel(TrainOptions o) => ActivationFactory.Get(o.Activation).TakesP ? $"{o.Activation} (p = {o.P})" : o.Activation;

    /// <summary>Prints how the run ended; the exit code: <see cref="ExitCodes.Stopped"/> when a signal stopped it.</summary>
    private static int Report(TextWriter output, string dir, string? root, RunSummary s, SignalCancellation signals)
    {
        string resume = $"dropact train --resume {dir} --data {root ?? "<root>"}";
        if (s.StoppedAfterStep is { } step)
        {
            output.WriteLine($"stopped by {(signals.Signal is { } sig ? SignalCancellation.Name(sig) : "a signal")} " +
                             (step == 0 ? $"after epoch {s.EpochsCompleted} of {s.Options.Epochs}" : $"inside epoch {s.EpochsCompleted + 1} of {s.Options.Epochs}, after step {step}") +
                             $"; checkpoint written; continue exactly with: {resume}");
            return ExitCodes.Stopped;
        }
        output.WriteLine(s.Finished
            ? $"done: {dir}: final test error {100 * s.FinalTestError:0.00}%, best {100 * s.BestTestError:0.00}% (epoch {s.BestEpoch})"
            : $"stopped after epoch {s.EpochsCompleted} of {s.Options.Epochs}; continue with: dropact train --resume {dir} --data <root>");
        return ExitCodes.Success;
    }
}
