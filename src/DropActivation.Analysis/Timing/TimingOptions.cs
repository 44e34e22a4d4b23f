namespace DropActivation.Analysis.Timing;

/// <summary>
/// Settings of the Table 5 measurement: per-batch training time (forward, loss, backward, SGD step)
/// of one zoo model with each activation, on a fixed random batch shaped like a data set's images.
/// </summary>
public sealed record TimingOptions
{
    /// <summary>Zoo model name (the paper: resnet164, wrn-28-10).</summary>
    public string Model { get; init; } = "resnet164";

    /// <summary>Data set whose image shape and class count the batch takes (cifar10: 3×32×32; mnist: 1×28×28; imagenet: 3×224×224).</summary>
    public string Dataset { get; init; } = "cifar10";

    /// <summary>Images per batch (the paper: 128).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Timed repeats of every variant.</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>Untimed repeats of every variant first.</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>Drop-Activation's keep probability.</summary>
    public double P { get; init; } = DA.DefaultP;

    /// <summary>Seed of the batch and of the initial weights (the same for every variant).</summary>
    public long Seed { get; init; }

    /// <summary>Torch intra-op threads (0: leave torch's setting).</summary>
    public int Threads { get; init; }

    /// <summary>Weights and batch in channels-last memory order (as <c>train --channels-last</c>).</summary>
    public bool ChannelsLast { get; init; }

    /// <summary>"fp32", or "bf16": forward and loss under CPU autocast in bfloat16 (as <c>train --precision</c>).</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>The memory order and precision of the steps.</summary>
    public Training.ComputeMode Mode => new(ChannelsLast, Precision == "bf16");

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        Training.ComputeMode.IsBFloat16(Precision);
        if (Mode.Problem(Runtime.CpuFeatures.Current) is { } problem) throw new ArgumentException(problem);
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, got {BatchSize}.");
        if (Repeats < 1) throw new ArgumentException($"Repeats must be at least 1, got {Repeats}.");
        if (Warmup < 0) throw new ArgumentException($"Warm-up must be 0 or more, got {Warmup}.");
        DA.CheckP(P);
        if (Threads < 0) throw new ArgumentException($"Threads must be 0 (default) or positive, got {Threads}.");
    }
}
