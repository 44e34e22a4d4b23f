namespace DropActivation.Onnx;

/// <summary>What an ONNX export writes: the input's shape, the batch dimension, the opset and optional input normalisation.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>One sample's shape, without the batch dimension: [channels, height, width] for images, [features] for the MLP.</summary>
    public required long[] InputShape { get; init; }

    /// <summary>A fixed batch size, or null for a dynamic batch dimension (named "batch").</summary>
    public int? BatchSize { get; init; }

    /// <summary>ONNX operator set version of the default domain (<see cref="OnnxExporter.MinOpset"/> to <see cref="OnnxExporter.MaxOpset"/>).</summary>
    public int Opset { get; init; } = OnnxExporter.DefaultOpset;

    /// <summary>
    /// When set, the graph starts with the data set's normalisation, so the model takes raw images
    /// (values 0 to <see cref="InputNormalization.InputMax"/>) instead of normalised ones.
    /// </summary>
    public InputNormalization? Normalization { get; init; }

    /// <summary>Name of the graph's input.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the graph's output.</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>Free text stored as the model's doc string (e.g. which checkpoint it came from).</summary>
    public string? Description { get; init; }

    /// <summary>Key–value pairs stored in the model's metadata_props (readable with ONNX Runtime's ModelMetadata.CustomMetadataMap).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
