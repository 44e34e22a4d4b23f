using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace DropActivation.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime (single-threaded) on TorchSharp tensors.</summary>
internal sealed class OnnxRuntimeRunner : IDisposable
{
    private readonly InferenceSession _session;

    /// <summary>A session for the serialised model; ONNX Runtime validates the graph while it loads it.</summary>
    public OnnxRuntimeRunner(ModelProto model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model.ToByteArray(), options);
    }

    /// <summary>The session's input and output metadata.</summary>
    public InferenceSession Session => _session;

    /// <summary>The output for <paramref name="input"/> (float32, any shape), as a TorchSharp tensor.</summary>
    public Tensor Run(Tensor input, string inputName = "input")
    {
        using var x = input.detach().to(ScalarType.Float32).cpu().contiguous();
        var dims = x.shape.Select(d => checked((int)d)).ToArray();
        var dense = new DenseTensor<float>(x.data<float>().ToArray(), dims);
        using var results = _session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, dense) });
        var y = results.First().AsTensor<float>();
        return tensor(y.ToArray(), y.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }

    public void Dispose() => _session.Dispose();
}
