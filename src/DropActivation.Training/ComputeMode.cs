using DropActivation.Layout;
using DropActivation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Training;

/// <summary>
/// How a model computes on the CPU (issue 32), in one place for training, evaluation and timing: the memory order of
/// its weights and batches (channels-last: NHWC strides, which oneDNN's convolutions take without reordering) and the
/// precision of its forward pass (bf16: libtorch's CPU autocast in bfloat16, weights, optimizer and loss in float32).
/// </summary>
/// <param name="ChannelsLast">Weights and batches in channels-last memory order.</param>
/// <param name="BFloat16">The forward pass and loss under CPU autocast in bfloat16.</param>
public sealed record ComputeMode(bool ChannelsLast, bool BFloat16)
{
    /// <summary>Float32 in the standard (NCHW) layout: what every run did before issue 32.</summary>
    public static ComputeMode Standard { get; } = new(false, false);

    /// <summary>The values <c>--precision</c> takes.</summary>
    public static IReadOnlyList<string> Precisions { get; } = ["fp32", "bf16"];

    /// <summary>Checks a <c>--precision</c> value; returns whether it is bf16.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Precisions"/> (the message lists them).</exception>
    public static bool IsBFloat16(string precision) => ComputeMode.Precisions.Contains(precision)
        ? precision == "bf16"
        : throw new ArgumentException($"Unknown --precision '{precision}'. Valid: {string.Join(", ", Precisions)}.");

    /// <summary>The mode of a run's options.</summary>
    public static ComputeMode Of(TrainOptions options) => new(options.ChannelsLast, options.Precision == "bf16");

    /// <summary>
    /// Why this CPU should not run the mode, or null: bf16 where the CPU does not compute it natively (it is emulated
    /// there, a PreResNet-20 step 24× slower than fp32 on an AVX2-only EPYC).
    /// </summary>
    public string? Problem(CpuFeatures cpu) => BFloat16 && !cpu.ComputesBFloat16Natively
        ? $"--precision bf16 needs a CPU that computes bfloat16 natively (AVX512_BF16 or AMX); this one ({cpu.Model}) would emulate it, " +
          "many times slower than fp32 (a PreResNet-20 step: 24x). Use --precision fp32 here ('dropact info' says what this CPU computes natively)."
        : null;

    /// <summary>Puts <paramref name="model"/>'s weights in this mode's memory order (in place).</summary>
    public void Prepare(nn.Module model)
    {
        if (ChannelsLast) model.ToChannelsLast();
    }

    /// <summary>A batch of images in this mode's memory order (a new tensor in the current dispose scope, or <paramref name="images"/> itself).</summary>
    public Tensor Input(Tensor images) => ChannelsLast && images.dim() == 4 && !images.IsChannelsLast() ? images.ToChannelsLast() : images;

    /// <summary>The scope to run forward and loss in (null: nothing to switch).</summary>
    public IDisposable? Forward() => BFloat16 ? DA.Autocast(ScalarType.BFloat16) : null;

    /// <summary>"fp32" or "bf16", and "channels-last" when set: for logs and tables.</summary>
    public override string ToString() => (BFloat16 ? "bf16" : "fp32") + (ChannelsLast ? ", channels-last" : "");
}
