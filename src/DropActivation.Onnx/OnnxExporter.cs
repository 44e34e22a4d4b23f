using System.Reflection;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Onnx;

/// <summary>
/// Writes a TorchSharp model as an ONNX file in evaluation form: the model's declared graph
/// (<see cref="IOnnxExportable"/>, composed of its blocks' graphs), with Drop-Activation and RReLU
/// averaged, BatchNorm using running statistics and dropout removed. <c>OnnxExporter.Save(model, "model.onnx",
/// new OnnxExportOptions { InputShape = new long[] { 3, 32, 32 } })</c>.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The oldest opset written (Gemm's broadcasting and the current BatchNormalization signature are from opset 7).</summary>
    public const int MinOpset = 7;

    /// <summary>The newest opset written (IR version 10).</summary>
    public const int MaxOpset = 21;

    /// <summary>The default opset.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The ONNX IR version that goes with an opset (the oldest that defines it).</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    /// <summary>Exports <paramref name="model"/> and writes the ONNX file to <paramref name="path"/> (folders are created).</summary>
    /// <exception cref="OnnxExportException">A part of the model that cannot be written at the asked opset (the message names it).</exception>
    public static ModelProto Save(nn.Module model, string path, OnnxExportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var proto = Export(model, options);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using (var file = File.Create(path)) proto.WriteTo(file);
        return proto;
    }

    /// <summary>The ONNX model of <paramref name="model"/> in evaluation form (the model itself is left as it was).</summary>
    /// <exception cref="OnnxExportException">A part of the model that cannot be written at the asked opset (the message names it).</exception>
    /// <exception cref="ArgumentException">Bad options: an input shape the model does not accept, batch size below 1.</exception>
    public static ModelProto Export(nn.Module model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Opset < MinOpset || options.Opset > MaxOpset)
            throw new OnnxExportException($"Opset {options.Opset} is not written; the exporter writes opsets {MinOpset} to {MaxOpset}.");
        if (options.InputShape is null || options.InputShape.Length == 0 || options.InputShape.Any(d => d < 1))
            throw new ArgumentException("The input shape (without the batch dimension) needs at least one dimension, each at least 1.", nameof(options));
        if (options.BatchSize is < 1) throw new ArgumentException($"The batch size must be at least 1 (or dynamic), got {options.BatchSize}.", nameof(options));
        if (options.InputName == options.OutputName) throw new ArgumentException("The input and output need different names.", nameof(options));

        var outputShape = OutputShape(model, options.InputShape);
        long irVersion = IrVersionFor(options.Opset);
        var g = new OnnxGraphBuilder(options.Opset, initializersAreInputs: irVersion < 4);
        g.Reserve(options.InputName);
        g.Reserve(options.OutputName);
        string x = options.InputName;
        if (options.Normalization is { } norm) x = Normalize(g, norm, x, options.InputShape);
        var y = g.ExportRoot(model, x);
        g.Graph.Node.Add(new NodeProto { Name = "output/Identity", OpType = "Identity", Input = { y }, Output = { options.OutputName } });

        long? batch = options.BatchSize;
        var graph = g.Graph;
        graph.Name = model.GetType().Name;
        graph.Input.Insert(0, FloatTensorInfo(options.InputName, options.InputShape.Select(d => (long?)d).Prepend(batch).ToArray()));
        graph.Output.Add(FloatTensorInfo(options.OutputName, outputShape.Skip(1).Select(d => (long?)d).Prepend(batch).ToArray()));

        var proto = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "dropact",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = options.Description ?? "",
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in options.Metadata ?? new Dictionary<string, string>())
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    /// <summary>A float32 tensor's value info; a null dimension is the dynamic batch dimension "batch".</summary>
    internal static ValueInfoProto FloatTensorInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>x · 1/(max·std) + (−mean/std) per channel, with [1, C, 1, …] constants.</summary>
    private static string Normalize(OnnxGraphBuilder g, InputNormalization norm, string x, long[] inputShape)
    {
        if (inputShape.Length < 2)
            throw new ArgumentException($"Input normalisation is per image channel; this model's input has shape [{string.Join(", ", inputShape)}] per sample.");
        var (scale, shift) = norm.Affine(checked((int)inputShape[0]));
        var shape = new long[inputShape.Length + 1];
        Array.Fill(shape, 1L);
        shape[1] = inputShape[0];
        var scaled = g.Mul(x, g.Constant("normalization.scale", shape, scale));
        return g.Add(scaled, g.Constant("normalization.shift", shape, shift));
    }

    /// <summary>The model's output shape for one sample of <paramref name="inputShape"/>, from one evaluation-mode forward pass (modes restored after).</summary>
    private static long[] OutputShape(nn.Module model, long[] inputShape)
    {
        var modes = model.modules().Select(m => (Module: m, m.training)).ToList();
        var dtype = model.parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32;
        var device = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        try
        {
            model.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = torch.zeros(inputShape.Prepend(1L).ToArray(), dtype, device);
            var y = model is nn.Module<Tensor, Tensor> m
                ? m.call(x)
                : throw new OnnxExportException($"{model.GetType().Name} does not map one tensor to one tensor; only such models are exported.");
            return y.shape;
        }
        catch (Exception e) when (e is not OnnxExportException)
        {
            throw new ArgumentException(
                $"{model.GetType().Name} does not accept inputs of shape [{string.Join(", ", inputShape)}] per sample: {e.Message}", nameof(inputShape), e);
        }
        finally
        {
            foreach (var (module, training) in modes) module.train(training);
        }
    }
}
