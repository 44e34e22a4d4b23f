using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace DropActivation.Onnx;

/// <summary>
/// Builds an ONNX graph (onnx.proto's <see cref="GraphProto"/>) from modules that export themselves:
/// names every tensor after the module path it comes from ("layer1.0.conv1.weight",
/// "layer1.0.bn1/BatchNormalization"), adds initializers from TorchSharp tensors and nodes, and
/// exports TorchSharp's own layers (<see cref="TorchSharpLayers"/>) and Sequential containers itself.
/// </summary>
public sealed class OnnxGraphBuilder : IOnnxGraph
{
    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Stack<(nn.Module Module, string Path)> _scope = new();
    private readonly bool _initializersAreInputs;

    /// <summary>A builder for a graph at <paramref name="opset"/>; with <paramref name="initializersAreInputs"/> (IR version below 4) every initializer is also listed as a graph input.</summary>
    public OnnxGraphBuilder(int opset, bool initializersAreInputs = false)
    {
        Opset = opset;
        _initializersAreInputs = initializersAreInputs;
    }

    /// <inheritdoc />
    public int Opset { get; }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph => _graph;

    /// <summary>Path of the module being exported ("" at the root).</summary>
    public string CurrentPath => _scope.Count == 0 ? "" : _scope.Peek().Path;

    /// <summary>Reserves a tensor name (a graph input or output) so that nothing else takes it.</summary>
    public void Reserve(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"The tensor name '{name}' is already used.", nameof(name));
    }

    /// <summary>Exports the root module (path "") applied to <paramref name="input"/>.</summary>
    public string ExportRoot(nn.Module model, string input)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_scope.Count != 0) throw new InvalidOperationException("The root is exported once, before anything else.");
        return Export(model, "", input);
    }

    /// <inheritdoc />
    public void RequireOpset(int minimumOpset, string construct)
    {
        if (Opset < minimumOpset)
            throw new OnnxExportException(
                $"{Where()}{construct} needs ONNX opset {minimumOpset} or newer; opset {Opset} cannot express it (use --opset {Math.Max(minimumOpset, OnnxExporter.DefaultOpset)}).");
    }

    /// <inheritdoc />
    public string Apply(nn.Module module, string input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        string name = module.GetType().Name;
        string parentPath = "";
        if (_scope.Count > 0)
        {
            var (parent, path) = _scope.Peek();
            parentPath = path;
            foreach (var (childName, child) in parent.named_children())
            {
                if (ReferenceEquals(child, module)) { name = childName; break; }
            }
        }
        return Export(module, parentPath.Length == 0 ? name : parentPath + "." + name, input);
    }

    private string Export(nn.Module module, string path, string input)
    {
        _scope.Push((module, path));
        try
        {
            switch (module)
            {
                case IOnnxExportable exportable:
                    return exportable.ExportOnnx(this, input);
                case TorchSharp.Modules.Sequential sequential:
                    var h = input;
                    foreach (var (_, child) in sequential.named_children()) h = Apply(child, h);
                    return h;
                default:
                    return TorchSharpLayers.Export(this, module, input)
                        ?? throw new OnnxExportException(
                            $"'{(path.Length == 0 ? "the model" : path)}' is a {module.GetType().Name}, which has no ONNX export: it neither implements "
                            + $"{nameof(IOnnxExportable)} nor is one of the TorchSharp layers the exporter knows ({TorchSharpLayers.Known}).");
            }
        }
        finally
        {
            _scope.Pop();
        }
    }

    /// <inheritdoc />
    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        var name = Unique(CurrentPath.Length == 0 ? opType : CurrentPath + "/" + opType);
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        foreach (var a in attributes) node.Attribute.Add(ToProto(a));
        _graph.Node.Add(node);
        return name;
    }

    /// <inheritdoc />
    public string Initializer(Tensor value, string name)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var f = value.detach().to(ScalarType.Float32).cpu().contiguous();
        return AddInitializer(name, f.shape, f.data<float>().ToArray());
    }

    /// <inheritdoc />
    public string Constant(string name, long[] shape, float[] values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} values, got {values.Length}.", nameof(values));
        return AddInitializer(name, shape, values);
    }

    private string AddInitializer(string name, long[] shape, float[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not.");
        var full = Unique(CurrentPath.Length == 0 ? name : CurrentPath + "." + name);
        var tensor = new TensorProto { Name = full, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        if (_initializersAreInputs) _graph.Input.Add(OnnxExporter.FloatTensorInfo(full, shape.Select(d => (long?)d).ToArray()));
        return full;
    }

    private string Unique(string name)
    {
        if (_names.Add(name)) return name;
        for (int i = 1; ; i++)
        {
            var candidate = $"{name}_{i}";
            if (_names.Add(candidate)) return candidate;
        }
    }

    private string Where() => CurrentPath.Length == 0 ? "" : $"'{CurrentPath}': ";

    private static AttributeProto ToProto(OnnxAttribute a)
    {
        var p = new AttributeProto { Name = a.Name };
        switch (a.Kind)
        {
            case OnnxAttributeKind.Int:
                p.Type = AttributeProto.Types.AttributeType.Int;
                p.I = a.IntValue;
                break;
            case OnnxAttributeKind.Ints:
                p.Type = AttributeProto.Types.AttributeType.Ints;
                p.Ints.AddRange(a.IntsValue ?? Array.Empty<long>());
                break;
            case OnnxAttributeKind.Float:
                p.Type = AttributeProto.Types.AttributeType.Float;
                p.F = a.FloatValue;
                break;
            case OnnxAttributeKind.String:
                p.Type = AttributeProto.Types.AttributeType.String;
                p.S = ByteString.CopyFromUtf8(a.StringValue ?? "");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(a), a.Kind, "Unknown attribute kind.");
        }
        return p;
    }
}
