namespace DropActivation.Onnx;

/// <summary>
/// A model (or a part of it) that cannot be written as ONNX: a module without an export, a setting
/// ONNX cannot express, or a construct that needs a newer opset than the one asked for.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the error with a message that says what cannot be expressed and why.</summary>
    public OnnxExportException(string message) : base(message) { }
}
