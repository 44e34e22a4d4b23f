using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Classifies images with a model written by `dropact export --format onnx --include-normalization`.
// Usage: OnnxInference model.onnx image.raw [more.raw ...]; each file holds one image's 8-bit pixels, channel by channel (C·H·W bytes).
if (args.Length < 2) { Console.Error.WriteLine("usage: OnnxInference model.onnx image.raw [more.raw ...]"); return 2; }
using var session = new InferenceSession(args[0]);
var (inputName, input) = session.InputMetadata.First();
int[] shape = input.Dimensions.Select(d => d < 0 ? 1 : d).ToArray(); // a dynamic batch dimension: one image at a time
foreach (var file in args.Skip(1))
{
    float[] pixels = File.ReadAllBytes(file).Select(b => (float)b).ToArray();
    if (pixels.Length != shape.Aggregate(1, (a, b) => a * b)) { Console.Error.WriteLine($"{file}: {pixels.Length} bytes, the model takes [{string.Join(", ", shape)}]"); return 1; }
    using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(pixels, shape)) });
    float[] logits = results[0].AsEnumerable<float>().ToArray();
    double[] e = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
    int best = Array.IndexOf(logits, logits.Max());
    Console.WriteLine($"{file}: class {best} (probability {e[best] / e.Sum():0.000})");
}
return 0;
