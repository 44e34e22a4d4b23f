namespace DropActivation.Onnx;

/// <summary>
/// A module that declares its own ONNX graph, next to its <c>forward</c>: the evaluation form of
/// what <c>forward</c> computes (Drop-Activation and RReLU averaged, BatchNorm with running
/// statistics, dropout removed). A model's export is the composition of its blocks' exports; the
/// DropActivation.Onnx project turns the result into an ONNX file.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>
    /// Adds this module's nodes to <paramref name="graph"/>, reading the tensor named
    /// <paramref name="input"/>, and returns the name of the tensor that holds the result.
    /// Submodules are exported with <see cref="IOnnxGraph.Apply"/>.
    /// </summary>
    /// <exception cref="OnnxExportException">Something this module computes has no ONNX form at the graph's opset.</exception>
    string ExportOnnx(IOnnxGraph graph, string input);
}
