using DropActivation.Activations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Onnx;

/// <summary>
/// ONNX exports of the TorchSharp layers the zoo is built from (they cannot implement
/// <see cref="IOnnxExportable"/> themselves), in evaluation form: Conv2d → Conv, BatchNorm2d →
/// BatchNormalization with the running statistics, Linear → Gemm, pooling, the element-wise
/// activations and LeakyReLU, Dropout and Identity → nothing.
/// </summary>
public static class TorchSharpLayers
{
    /// <summary>The layer types exported here, for error messages.</summary>
    public const string Known = "Conv2d, BatchNorm2d, Linear, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten, Dropout, Identity, "
        + "ReLU, LeakyReLU, Tanh, Sigmoid, GELU, SiLU, ELU, Sequential";

    /// <summary>Whether <paramref name="module"/> is a layer exported here (or a Sequential, which the builder unrolls).</summary>
    public static bool Handles(nn.Module module) => module switch
    {
        Conv2d or BatchNorm2d or Linear or MaxPool2d or AvgPool2d or AdaptiveAvgPool2d or Flatten or Dropout or Identity or LeakyReLU or Sequential => true,
        _ => ElementwiseActivation.FromModule(module) is not null,
    };

    /// <summary>The export of <paramref name="module"/> applied to <paramref name="input"/>, or null when it is not a layer known here.</summary>
    /// <exception cref="OnnxExportException">A setting of the layer that ONNX (or the opset) cannot express.</exception>
    internal static string? Export(IOnnxGraph g, nn.Module module, string input) => module switch
    {
        Conv2d conv => Convolution(g, conv, input),
        BatchNorm2d bn => BatchNorm(g, bn, input),
        Linear linear => Gemm(g, linear, input),
        MaxPool2d pool => MaxPool(g, pool, input),
        AvgPool2d pool => AvgPool(g, pool, input),
        AdaptiveAvgPool2d pool => GlobalAveragePool(g, pool, input),
        Flatten flatten => FlattenLayer(g, flatten, input),
        Dropout or Identity => input,
        LeakyReLU leaky => g.Node("LeakyRelu", new[] { input }, OnnxAttribute.Float("alpha", leaky.negative_slope)),
        _ => ElementwiseActivation.FromModule(module)?.ExportOnnx(g, input),
    };

    private static string Convolution(IOnnxGraph g, Conv2d conv, string input)
    {
        if (conv.transposed) throw new OnnxExportException("Transposed convolutions are not in the exporter (the zoo has none).");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new OnnxExportException($"A convolution with padding mode {conv.padding_mode} has no ONNX Conv form (ONNX Conv pads with zeros).");
        if (conv.padding_type is not null)
            throw new OnnxExportException($"A convolution with padding '{conv.padding_type}' is not in the exporter; give the padding as numbers.");
        var k = Pair(conv.kernel_size, 1);
        var s = Pair(conv.stride, 1);
        var p = Pair(conv.padding, 0);
        var d = Pair(conv.dilation, 1);
        var inputs = new List<string> { input, g.Initializer(conv.weight!, "weight") };
        if (conv.bias is not null) inputs.Add(g.Initializer(conv.bias, "bias"));
        return g.Node("Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", k), OnnxAttribute.Ints("strides", s), OnnxAttribute.Ints("pads", p[0], p[1], p[0], p[1]),
            OnnxAttribute.Ints("dilations", d), OnnxAttribute.Int("group", conv.groups));
    }

    private static string BatchNorm(IOnnxGraph g, BatchNorm2d bn, string input)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new OnnxExportException("A BatchNorm2d without running statistics (track_running_stats=false) has no inference form.");
        long c = bn.num_features;
        var scale = bn.weight is null ? g.Constant("weight", new[] { c }, Enumerable.Repeat(1f, (int)c).ToArray()) : g.Initializer(bn.weight, "weight");
        var shift = bn.bias is null ? g.Constant("bias", new[] { c }, new float[c]) : g.Initializer(bn.bias, "bias");
        var inputs = new[] { input, scale, shift, g.Initializer(bn.running_mean, "running_mean"), g.Initializer(bn.running_var, "running_var") };
        return g.Node("BatchNormalization", inputs, OnnxAttribute.Float("epsilon", bn.eps));
    }

    private static string Gemm(IOnnxGraph g, Linear linear, string input)
    {
        var bias = linear.bias is null
            ? g.Constant("bias", new[] { linear.out_features }, new float[linear.out_features])
            : g.Initializer(linear.bias, "bias");
        return g.Node("Gemm", new[] { input, g.Initializer(linear.weight!, "weight"), bias }, OnnxAttribute.Int("transB", 1));
    }

    private static string MaxPool(IOnnxGraph g, MaxPool2d pool, string input)
    {
        var d = Pair(pool.dilation, 1);
        bool dilated = d.Any(v => v != 1);
        if (dilated) g.RequireOpset(10, "Dilated max pooling");
        return Pool(g, "MaxPool", "Max pooling", input, pool.kernel_size, pool.stride, pool.padding, pool.ceil_mode,
            dilated ? [OnnxAttribute.Ints("dilations", d)] : []);
    }

    private static string AvgPool(IOnnxGraph g, AvgPool2d pool, string input)
    {
        if (pool.divisor_override is not null)
            throw new OnnxExportException("Average pooling with a divisor override has no ONNX AveragePool form.");
        return Pool(g, "AveragePool", "Average pooling", input, pool.kernel_size, pool.stride, pool.padding, pool.ceil_mode,
            [OnnxAttribute.Int("count_include_pad", pool.count_include_pad ? 1 : 0)]);
    }

    /// <summary>
    /// A 2-D pooling node: kernel_shape, strides (the kernel's where none are given) and symmetric pads, then
    /// <paramref name="extra"/>, then ceil_mode where it rounds up (opset 10; <paramref name="what"/> names it in the error).
    /// </summary>
    private static string Pool(IOnnxGraph g, string op, string what, string input, long[]? kernel, long[]? stride, long[]? padding, bool ceilMode,
        OnnxAttribute[] extra)
    {
        var k = Pair(kernel, 1);
        var s = stride is { Length: > 0 } ? Pair(stride, 1) : k;
        var p = Pair(padding, 0);
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", k), OnnxAttribute.Ints("strides", s), OnnxAttribute.Ints("pads", p[0], p[1], p[0], p[1]),
        };
        attributes.AddRange(extra);
        if (ceilMode)
        {
            g.RequireOpset(10, $"{what} that rounds up (ceil_mode)");
            attributes.Add(OnnxAttribute.Int("ceil_mode", 1));
        }
        return g.Node(op, new[] { input }, attributes.ToArray());
    }

    private static string GlobalAveragePool(IOnnxGraph g, AdaptiveAvgPool2d pool, string input)
    {
        if (pool.output_size.Any(v => v != 1))
            throw new OnnxExportException(
                $"Adaptive average pooling to [{string.Join(", ", pool.output_size)}] depends on the input size; only output size 1 (GlobalAveragePool) is exported.");
        return g.Node("GlobalAveragePool", new[] { input });
    }

    private static string FlattenLayer(IOnnxGraph g, Flatten flatten, string input)
    {
        if (flatten.start_dim != 1 || flatten.end_dim != -1)
            throw new OnnxExportException($"Flatten({flatten.start_dim}, {flatten.end_dim}) is not exported; only Flatten(1, -1) (ONNX Flatten, axis 1).");
        return g.Flatten(input);
    }

    private static long[] Pair(long[]? values, long fallback) => values switch
    {
        null or { Length: 0 } => new[] { fallback, fallback },
        { Length: 1 } => new[] { values[0], values[0] },
        _ => new[] { values[0], values[1] },
    };
}
