using System.CommandLine;
using System.Text.Json;
using DropActivation.Data;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Fetching;
using DropActivation.Data.Inspection;
using DropActivation.Data.Registry;
using Spectre.Console;

namespace DropActivation.Cli.Commands;

/// <summary><c>dropact data</c>: list the known data sets, fetch one with checksums, inspect one (counts, mean/std, contact sheet).</summary>
internal static class DataCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("data", "Data sets of the paper: list, fetch (download with checksum check), inspect.");
        command.Add(CreateList(output));
        command.Add(CreateFetch(output));
        command.Add(CreateInspect(output));
        return command;
    }

    private static Command CreateList(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var cmd = new Command("list", "List the registered data sets, their splits, shapes and standard mean/std.") { json };
        cmd.SetAction(parse =>
        {
            var rows = DataSets.All.Select(d => new Dictionary<string, object?>
            {
                ["name"] = d.Name, ["title"] = d.Title, ["folder"] = d.Folder, ["classes"] = d.NumClasses,
                ["shape"] = new object?[] { d.Shape.Channels, d.Shape.Height, d.Shape.Width }, ["splits"] = d.Splits,
                ["mean"] = d.Mean, ["std"] = d.Std, ["downloadable"] = d.Files.Count > 0,
            }).ToList();
            if (parse.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(rows, CliOutput.Json));
            else
                foreach (var d in DataSets.All)
                    output.WriteLine($"{d.Name,-16} {d.NumClasses,5} classes  {d.Shape.Channels}×{d.Shape.Height?.ToString() ?? "?"}×{d.Shape.Width?.ToString() ?? "?"}  splits: {string.Join(", ", d.Splits),-28} {d.Title}");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static Command CreateFetch(TextWriter output)
    {
        var name = new Argument<string>("name") { Description = "Data set name (see 'dropact data list')." };
        var root = new Option<string>("--root", "--data") { Description = "Data root (--data, as in train, works too); files go to ROOT/<folder>/.", Required = true };
        var cmd = new Command("fetch", "Download a data set from its official location, verify checksums, and place it under --root.") { name, root };
        cmd.SetAction(parse =>
        {
            var info = Choices.Usage(() => DataSets.Get(parse.GetValue(name)!));
            var rootDir = parse.GetValue(root)!;
            using var fetcher = new DataFetcher();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            IReadOnlyList<string> paths = [];
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .Start(ctx =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var progress = new Progress<DownloadProgress>(p =>
                    {
                        lock (tasks)
                        {
                            if (!tasks.TryGetValue(p.FileName, out var t))
                                tasks[p.FileName] = t = ctx.AddTask(p.FileName, maxValue: Math.Max(1, p.TotalBytes ?? 1));
                            if (p.TotalBytes is { } total) t.MaxValue = Math.Max(1, total);
                            t.Value = p.State == DownloadState.Downloading ? p.BytesDone : t.MaxValue;
                            if (p.State == DownloadState.AlreadyPresent) t.Description = $"{p.FileName} (already present, verified)";
                        }
                    });
                    paths = fetcher.FetchAsync(info, rootDir, progress).GetAwaiter().GetResult();
                });
            foreach (var p in paths) output.WriteLine(p);
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static Command CreateInspect(TextWriter output)
    {
        var name = new Argument<string>("name") { Description = "Data set name (see 'dropact data list')." };
        var root = new Option<string>("--root", "--data") { Description = "Data root holding ROOT/<folder>/ (--data, as in train, works too; not needed for a folder:PATH data set)." };
        var split = new Option<string?>("--split") { Description = "Only this split (default: all that are present)." };
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var sheet = new Option<string?>("--sheet") { Description = "Where to write the PNG contact sheet of augmented training samples (default: ./dropact-NAME-samples.png)." };
        var augment = new Option<string>("--augment") { Description = "Augmentation shown in the sheet: standard, cutout, autoaugment, both.", DefaultValueFactory = _ => "standard" };
        var maxImages = new Option<int>("--max-images") { Description = "Images measured for mean/std of image folders (in-memory data sets are measured in full).", DefaultValueFactory = _ => 2000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the contact sheet's sampling and augmentation.", DefaultValueFactory = _ => 0UL };
        var cmd = new Command("inspect", "Counts per split and class, image shape, channel mean/std, and a PNG contact sheet of augmented samples.")
            { name, root, split, json, sheet, augment, maxImages, seed };
        cmd.SetAction(parse =>
        {
            var info = Choices.Usage(() => DataSets.Get(parse.GetValue(name)!));
            var rootDir = parse.GetValue(root) ?? (info.Name.StartsWith(DataSets.FolderPrefix, StringComparison.Ordinal) ? info.Folder
                : throw new UsageError($"--root is required: the folder that holds {info.Folder}/ (only a folder:PATH data set needs none)."));
            var only = parse.GetValue(split);
            if (only is not null && !info.Splits.Contains(only, StringComparer.OrdinalIgnoreCase))
                throw new UsageError($"data set '{info.Name}' has no split '{only}'; splits: {string.Join(", ", info.Splits)}");
            var extras = parse.GetValue(augment)!.ToLowerInvariant() switch
            {
                "standard" => AugmentExtras.None, "cutout" => AugmentExtras.Cutout, "autoaugment" => AugmentExtras.AutoAugment,
                "both" => AugmentExtras.Cutout | AugmentExtras.AutoAugment,
                var a => throw new UsageError($"--augment must be standard, cutout, autoaugment or both, not '{a}'"),
            };
            int max = parse.GetValue(maxImages);
            if (max <= 0) throw new UsageError("--max-images must be positive");

            var splits = new List<Dictionary<string, object?>>();
            var missing = new List<string>();
            IDataSource? sheetSource = null;
            var loaded = new List<IDataSource>();
            DataNotFoundException? firstMissing = null;
            try
            {
                foreach (var s in only is null ? info.Splits.Where(s => !s.Contains('+')) : [only])
                {
                    IDataSource source;
                    try { source = DataSets.Load(info.Name, rootDir, s); }
                    catch (DataNotFoundException e) when (only is null) { missing.Add(s); firstMissing ??= e; continue; }
                    loaded.Add(source);
                    sheetSource ??= source;
                    var st = DataStatistics.Compute(source, source is ImageDataset ? int.MaxValue : max);
                    splits.Add(new Dictionary<string, object?>
                    {
                        ["split"] = s, ["count"] = st.Count,
                        ["shape"] = st.FixedSize is { } f ? new[] { st.Channels, f.Height, f.Width } : new[] { st.Channels },
                        ["class_counts"] = source.ClassNames.Zip(st.ClassCounts).ToDictionary(p => p.First, p => p.Second),
                        ["mean"] = st.ChannelMean.Select(v => Math.Round(v, 4)).ToArray(),
                        ["std"] = st.ChannelStd.Select(v => Math.Round(v, 4)).ToArray(),
                        ["images_measured"] = st.ImagesMeasured,
                        ["image_folder_copy"] = (source as ImageDataset)?.Origin,
                    });
                }
                if (sheetSource is null) throw firstMissing ?? new DataNotFoundException($"{info.Directory(rootDir)}: no split of {info.Title} found");
                var pipeline = Augmentations.Train(info, extras);
                var sheetPath = parse.GetValue(sheet) ?? Path.Combine(Environment.CurrentDirectory, $"dropact-{DataSets.FileLabel(info.Name)}-samples.png");
                ContactSheet.Write(sheetSource, pipeline, sheetPath, seed: parse.GetValue(seed));

                var report = new Dictionary<string, object?>
                {
                    ["name"] = info.Name, ["title"] = info.Title, ["directory"] = info.Directory(rootDir), ["splits"] = splits,
                    ["missing_splits"] = missing, ["standard_mean"] = info.Mean, ["standard_std"] = info.Std,
                    ["contact_sheet"] = Path.GetFullPath(sheetPath), ["contact_sheet_split"] = sheetSource.Name, ["augmentation"] = pipeline.ToString(),
                };
                if (parse.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(report, CliOutput.Json));
                else
                {
                    output.WriteLine($"{info.Title} in {info.Directory(rootDir)}");
                    foreach (var s in splits)
                    {
                        output.WriteLine($"  {s["split"]}: {s["count"]:N0} images, shape {string.Join("×", (int[])s["shape"]!)}, " +
                            $"mean [{string.Join(", ", (double[])s["mean"]!)}], std [{string.Join(", ", (double[])s["std"]!)}]" +
                            ((int)s["images_measured"]! < (int)s["count"]! ? $" (from {s["images_measured"]:N0} images)" : "") +
                            (s["image_folder_copy"] is string copy ? $"; read from the image-folder copy {copy}" : ""));
                        var counts = (Dictionary<string, int>)s["class_counts"]!;
                        output.WriteLine("    per class: " + string.Join(", ", counts.Take(20).Select(kv => $"{kv.Key} {kv.Value}")) + (counts.Count > 20 ? $", ... ({counts.Count} classes)" : ""));
                    }
                    if (missing.Count > 0) output.WriteLine($"  not present: {string.Join(", ", missing)}");
                    output.WriteLine($"  standard mean [{string.Join(", ", info.Mean.Select(v => v.ToString("0.####")))}], std [{string.Join(", ", info.Std.Select(v => v.ToString("0.####")))}]");
                    output.WriteLine($"  contact sheet ({pipeline}): {Path.GetFullPath(sheetPath)}");
                }
                return ExitCodes.Success;
            }
            finally
            {
                foreach (var s in loaded) (s as IDisposable)?.Dispose();
            }
        });
        return cmd;
    }
}
