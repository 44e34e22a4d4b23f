using DropActivation.Models.Registry;
using DropActivation.Surgery;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Onnx.Tests;

/// <summary>
/// A simple CNN trained with Drop-Activation (a short run on a synthetic task, so the weights and BatchNorm
/// statistics are trained ones): ONNX Runtime gives the evaluation-mode outputs and predictions, before and after folding.
/// </summary>
public sealed class TrainedModelExportTests
{
    [Fact]
    public void TrainedSimpleCnnExportsItsEvaluationForm()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create("simple-cnn", new ModelConfig(4, 3, 16) { Activation = ActivationFactory.FromName("dropact", 0.9) });
        // Four classes told apart by which quadrant of the image is bright.
        Tensor Batch(int n, out Tensor labels)
        {
            labels = torch.randint(0, 4, new long[] { n });
            var x = torch.randn(n, 3, 16, 16) * 0.5;
            for (int i = 0; i < n; i++)
            {
                long c = labels[i].item<long>();
                int r = (int)(c / 2 * 8), col = (int)(c % 2 * 8);
                x[i, .., r..(r + 8), col..(col + 8)] += 1.5;
            }
            return x;
        }
        var optimizer = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        model.train();
        double firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < 40; step++)
        {
            using var scope = torch.NewDisposeScope();
            var x = Batch(32, out var y);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) firstLoss = loss.item<float>();
            lastLoss = loss.item<float>();
        }
        Assert.True(lastLoss < firstLoss * 0.5, $"training did not learn: loss {firstLoss:F3} → {lastLoss:F3}");

        model.eval();
        using var scope2 = torch.NewDisposeScope();
        var test = Batch(3, out var testLabels);
        Tensor expected;
        using (torch.no_grad()) expected = model.call(test);
        var options = new OnnxExportOptions { InputShape = new long[] { 3, 16, 16 } };
        var proto = OnnxExporter.Export(model, options);
        OnnxChecker.AssertValid(proto, options.Opset);
        using (var ort = new OnnxRuntimeRunner(proto))
        {
            var got3 = ort.Run(test);
            Close.Assert1e4(got3, expected, "trained, batch 3");
            Close.Assert1e4(ort.Run(test[..1]), expected[..1], "trained, batch 1");
            Assert.True(got3.argmax(1).eq(expected.argmax(1)).all().item<bool>(), "ONNX Runtime predicts other classes");
        }

        model.Fold();
        var folded = OnnxExporter.Export(model, options);
        using var foldedOrt = new OnnxRuntimeRunner(folded);
        Close.Assert1e4(foldedOrt.Run(test), expected, "trained and folded, batch 3");
    }
}
