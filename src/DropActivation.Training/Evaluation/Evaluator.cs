using DropActivation.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training.Evaluation;

/// <summary>Evaluates a classifier in evaluation mode (Drop-Activation's deterministic test-time form, BN running statistics), under libtorch's inference mode.</summary>
public static class Evaluator
{
    /// <summary>Loss, top-1 and top-5 error of <paramref name="model"/> over every batch of <paramref name="loader"/>.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="loader">The evaluation batches.</param>
    /// <param name="device">Where the model is.</param>
    /// <param name="numClasses">Classes (top-5 error only with more than 5).</param>
    /// <param name="mode">Memory order and precision of the forward pass (default: fp32, standard layout).</param>
    public static EvalResult Evaluate(nn.Module<Tensor, Tensor> model, DataLoader loader, Device device, int numClasses, ComputeMode? mode = null)
    {
        mode ??= ComputeMode.Standard;
        bool wasTraining = model.training;
        model.eval();
        double lossSum = 0;
        long wrong1 = 0, wrong5 = 0, n = 0;
        bool top5 = numClasses > 5;
        try
        {
            // Inference mode: no autograd bookkeeping at all (no version counters, no view tracking);
            // nothing made here is used by autograd later.
            using var inference = torch.inference_mode();
            foreach (var batch in loader.GetEpoch(0))
            {
                using var b = batch;
                using var scope = torch.NewDisposeScope();
                var x = mode.Input(b.Images.to(device));
                var y = b.Labels.to(device);
                Tensor logits;
                using (mode.Forward())
                {
                    logits = model.forward(x);
                    lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                }
                wrong1 += logits.argmax(1).ne(y).sum().item<long>();
                if (top5)
                {
                    var best5 = logits.topk(5, dim: 1).indexes;
                    wrong5 += b.Size - best5.eq(y.unsqueeze(1)).any(1).sum().item<long>();
                }
                n += b.Size;
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new EvalResult((int)n, lossSum / n, (double)wrong1 / n, top5 ? (double)wrong5 / n : null);
    }
}
