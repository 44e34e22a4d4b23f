using System.CommandLine;
using System.Globalization;
using DropActivation.Data.Augmentation;
using DropActivation.Data.Registry;
using DropActivation.Models.Registry;
using DropActivation.Onnx;
using DropActivation.Training.Checkpoints;
using DropActivation.Training;

namespace DropActivation.Cli.Commands.Export;

/// <summary>
/// <c>dropact export --format onnx</c>: rebuilds the checkpoint's model, loads its weights and writes it as
/// ONNX in evaluation form (Drop-Activation and RReLU averaged, BatchNorm with running statistics, dropout
/// removed), with a dynamic or fixed batch, at an opset, optionally with the data set's input normalisation.
/// </summary>
internal sealed class OnnxExport
{
    private readonly Option<string> _batch = new("--batch")
    {
        Description = "ONNX: batch dimension, 'dynamic' or a fixed size N.", DefaultValueFactory = _ => "dynamic",
    };
    private readonly Option<int> _opset = new("--opset")
    {
        Description = $"ONNX: operator set version ({OnnxExporter.MinOpset} to {OnnxExporter.MaxOpset}).", DefaultValueFactory = _ => OnnxExporter.DefaultOpset,
    };
    private readonly Option<bool> _normalize = new("--include-normalization")
    {
        Description = "ONNX: put the data set's normalisation in the graph, so the model takes raw images (see --input-range).",
    };
    private readonly Option<float> _range = new("--input-range")
    {
        Description = "ONNX, with --include-normalization: the largest raw input value, 255 (8-bit pixels) or 1 (pixels in [0, 1]).",
        DefaultValueFactory = _ => 255f,
    };

    private OnnxExport() { }

    /// <summary>Adds the ONNX options to the export command.</summary>
    public static OnnxExport AddOptions(Command command)
    {
        var e = new OnnxExport();
        command.Add(e._batch);
        command.Add(e._opset);
        command.Add(e._normalize);
        command.Add(e._range);
        return e;
    }

    /// <summary>Writes <paramref name="checkpointPath"/>'s model to <paramref name="outPath"/> as ONNX and says what it wrote.</summary>
    public int Run(ParseResult parse, string checkpointPath, string outPath, TextWriter output)
    {
        int? batch = ParseBatch(parse.GetValue(_batch)!);
        int opset = parse.GetValue(_opset);
        if (opset < OnnxExporter.MinOpset || opset > OnnxExporter.MaxOpset)
            throw new UsageError($"--opset {opset} is not written; the exporter writes opsets {OnnxExporter.MinOpset} to {OnnxExporter.MaxOpset}.");
        float range = parse.GetValue(_range);
        if (!(range > 0) || float.IsInfinity(range)) throw new UsageError($"--input-range must be positive (255 or 1), got {range}.");
        if (!File.Exists(checkpointPath)) throw new UserError($"{checkpointPath}: checkpoint not found.");

        using var ckpt = CheckpointFile.Load(checkpointPath);
        var h = ckpt.Header;
        ModelInfo info;
        ZooModel model;
        try
        {
            info = ModelRegistry.Describe(h.Options.Model);
            model = ModelFactory.Create(h.Options, h.NumClasses, h.InChannels, h.ImageSize);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"{checkpointPath}: the checkpoint's model cannot be built by this version of dropact: {e.Message}", e);
        }
        using var __ = model;
        Trainer.LoadModelState(model, ckpt.Model, checkpointPath);
        model.eval();

        var inputShape = info.InputShape(new ModelConfig(h.NumClasses, h.InChannels, h.ImageSize));
        InputNormalization? normalization = null;
        if (parse.GetValue(_normalize))
        {
            if (info.TakesFeatures) throw new UsageError($"--include-normalization is for image models; {h.Options.Model} takes features.");
            DataSetInfo data;
            try { data = DataSets.Get(h.Options.Dataset); }
            catch (ArgumentException e) { throw new UserError($"{checkpointPath}: no normalisation is known for its data set: {e.Message}", e); }
            var norm = Augmentations.TrainingNormalization(data);
            normalization = new InputNormalization(norm.Mean, norm.Std, range);
        }

        var options = new OnnxExportOptions
        {
            InputShape = inputShape,
            BatchSize = batch,
            Opset = opset,
            Normalization = normalization,
            Description = $"dropact export of {Path.GetFileName(checkpointPath)}: {h.Options.Model} trained on {h.Options.Dataset} with "
                + $"{h.Options.Activation} (p={h.Options.P.ToString(CultureInfo.InvariantCulture)}), epoch {h.Epoch}; evaluation form.",
            Metadata = new Dictionary<string, string>
            {
                ["dropact.model"] = h.Options.Model,
                ["dropact.dataset"] = h.Options.Dataset,
                ["dropact.activation"] = h.Options.Activation,
                ["dropact.p"] = h.Options.P.ToString(CultureInfo.InvariantCulture),
                ["dropact.epoch"] = h.Epoch.ToString(CultureInfo.InvariantCulture),
                ["dropact.input"] = normalization is null
                    ? "normalised as in training"
                    : $"raw values 0..{range.ToString(CultureInfo.InvariantCulture)}, normalisation of {h.Options.Dataset} in the graph",
            },
        };
        global::Onnx.ModelProto proto;
        try { proto = OnnxExporter.Save(model, outPath, options); }
        catch (OnnxExportException e) { throw new UserError($"{h.Options.Model} cannot be exported as ONNX opset {opset}: {e.Message}", e); }

        string Dims(global::Onnx.ValueInfoProto v) =>
            "[" + string.Join(", ", v.Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? d.DimParam : d.DimValue.ToString(CultureInfo.InvariantCulture))) + "]";
        output.WriteLine($"wrote {outPath} ({new FileInfo(outPath).Length / 1024.0 / 1024.0:0.0} MiB, ONNX opset {opset}, IR version {proto.IrVersion})");
        output.WriteLine($"  model   {h.Options.Model} / {h.Options.Dataset} / {h.Options.Activation} (p={h.Options.P.ToString(CultureInfo.InvariantCulture)}), epoch {h.Epoch}, evaluation form");
        output.WriteLine($"  input   '{options.InputName}' float32 {Dims(proto.Graph.Input[0])}, "
            + (normalization is null ? "normalised as in training" : $"raw values 0..{range.ToString(CultureInfo.InvariantCulture)} (normalisation of {h.Options.Dataset} in the graph)"));
        output.WriteLine($"  output  '{options.OutputName}' float32 {Dims(proto.Graph.Output[0])}, {(info.TakesFeatures ? "regression outputs" : "logits")}");
        output.WriteLine($"  graph   {proto.Graph.Node.Count} nodes, {proto.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b)):N0} stored values");
        return ExitCodes.Success;
    }

    private static int? ParseBatch(string value)
    {
        if (value.Equals("dynamic", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        throw new UsageError($"--batch must be 'dynamic' or a positive whole number, got '{value}'.");
    }
}
