namespace DropActivation.Onnx;

/// <summary>What kind of value an <see cref="OnnxAttribute"/> holds.</summary>
public enum OnnxAttributeKind
{
    /// <summary>One 64-bit integer.</summary>
    Int,
    /// <summary>A list of 64-bit integers.</summary>
    Ints,
    /// <summary>One 32-bit float.</summary>
    Float,
    /// <summary>A string.</summary>
    String,
}

/// <summary>An attribute of an ONNX node: a name and an integer, integer list, float or string.</summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeKind Kind, long IntValue = 0, long[]? IntsValue = null, float FloatValue = 0f, string? StringValue = null)
{
    /// <summary>An integer attribute (e.g. <c>group</c>, <c>transB</c>, <c>ceil_mode</c>).</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, IntValue: value);

    /// <summary>An integer-list attribute (e.g. <c>kernel_shape</c>, <c>pads</c>).</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeKind.Ints, IntsValue: values);

    /// <summary>A float attribute (e.g. <c>alpha</c>, <c>epsilon</c>).</summary>
    public static OnnxAttribute Float(string name, double value) => new(name, OnnxAttributeKind.Float, FloatValue: (float)value);

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, OnnxAttributeKind.String, StringValue: value);
}
