using DropActivation.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Modules;

/// <summary>
/// A 1×1 convolution with stride s (no padding), computed as a stride-1 1×1 convolution of the
/// input subsampled by s (<c>x[:, :, ::s, ::s]</c>, taken by a 1×1 average pool with stride s). The result is the same
/// as <c>nn.Conv2d(in, out, 1, stride: s)</c>, with the same parameter names ("weight", "bias"),
/// shapes and default initialisation, so checkpoints and state dicts are interchangeable.
/// <para>
/// Why it exists: the oneDNN bundled with libtorch 2.10 kills the process with SIGFPE (an integer
/// division by zero in its blocking heuristic for the strided 1×1 backward-data kernel,
/// <c>brg_blocking_t::est_eff_1x1</c>) on CPUs with AVX-512 for some channel pairs, such as
/// 512 → 1024 with stride 2. Nothing in .NET can catch that signal. Written this way the
/// backward pass never asks oneDNN for a strided 1×1 kernel. The model zoo builds every strided
/// 1×1 convolution with this module; <see cref="Surgery.ModelSurgery.AvoidStridedPointwiseConvolutions"/>
/// does the same for a model of your own.
/// </para>
/// </summary>
public sealed class StridedPointwiseConv2d : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    /// <summary>
    /// When false, forward calls the strided convolution directly (what <c>nn.Conv2d</c> does).
    /// Only for measuring the cost of the workaround on an unaffected CPU; process-wide.
    /// </summary>
    public static bool Subsample { get; set; } = true;

    /// <summary>A 1×1 convolution from <paramref name="in_channels"/> to <paramref name="out_channels"/> with the given stride.</summary>
    public StridedPointwiseConv2d(long in_channels, long out_channels, long stride, bool bias = true, long groups = 1)
        : base(nameof(StridedPointwiseConv2d))
    {
        if (in_channels <= 0) throw new ArgumentOutOfRangeException(nameof(in_channels), in_channels, "in_channels must be positive.");
        if (out_channels <= 0) throw new ArgumentOutOfRangeException(nameof(out_channels), out_channels, "out_channels must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be positive.");
        if (groups <= 0 || in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must divide in_channels ({in_channels}) and out_channels ({out_channels}).");
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.stride = stride;
        this.groups = groups;
        // Created and initialised exactly as TorchSharp's Convolution does (Kaiming-uniform, a = √5;
        // bias U(±1/√fan_in)), so a model draws the same initial weights as with nn.Conv2d.
        weight = nn.Parameter(torch.empty(out_channels, in_channels / groups, 1, 1));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (bias)
        {
            this.bias = nn.Parameter(torch.empty(out_channels));
            var (fanIn, _) = nn.init.CalculateFanInAndFanOut(weight);
            double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
            nn.init.uniform_(this.bias, -bound, bound);
        }
        RegisterComponents();
    }

    /// <summary>Takes over the parameters of an existing strided 1×1 convolution (used by surgery).</summary>
    internal StridedPointwiseConv2d(TorchSharp.Modules.Conv2d conv) : base(nameof(StridedPointwiseConv2d))
    {
        in_channels = conv.in_channels;
        out_channels = conv.out_channels;
        stride = conv.stride[0];
        groups = conv.groups;
        weight = conv.weight!;
        bias = conv.bias;
        RegisterComponents();
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public long stride { get; }
    public long groups { get; }

    /// <summary>The kernel, shaped (out_channels, in_channels / groups, 1, 1) as in nn.Conv2d.</summary>
    public TorchSharp.Modules.Parameter weight;

    /// <summary>The bias, or null.</summary>
    public TorchSharp.Modules.Parameter? bias;

    public override Tensor forward(Tensor input)
    {
        if (stride == 1 || !Subsample)
            return nn.functional.conv2d(input, weight, bias, strides: new[] { stride, stride }, groups: groups);
        // Subsampled by a 1×1 average pool with the stride (each output is one input element divided by 1: exact in
        // every precision), not by slicing x[:, :, ::s, ::s]: the pool's backward keeps the input's memory order, while a
        // slice's backward scatters into a new NCHW tensor, which in a channels-last network then meets the other
        // branch's channels-last gradient in a slow mixed-layout sum.
        using var sub = nn.functional.avg_pool2d(input, [1, 1], [stride, stride]);
        return nn.functional.conv2d(sub, weight, bias, groups: groups);
    }

    /// <summary>
    /// One ONNX Conv with a 1×1 kernel and the stride (what the subsampled form computes), with the attributes an
    /// nn.Conv2d writes, so a model exports the same bytes whether surgery swapped its convolutions or not.
    /// </summary>
    public string ExportOnnx(IOnnxGraph graph, string input)
    {
        var inputs = new List<string> { input, graph.Initializer(weight, "weight") };
        if (bias is not null) inputs.Add(graph.Initializer(bias, "bias"));
        return graph.Node("Conv", inputs, OnnxAttribute.Ints("kernel_shape", 1, 1), OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", 0, 0, 0, 0), OnnxAttribute.Ints("dilations", 1, 1), OnnxAttribute.Int("group", groups));
    }

    /// <summary>Whether a convolution is a strided 1×1 one that this module can stand in for.</summary>
    public static bool CanReplace(TorchSharp.Modules.Conv2d conv) =>
        conv.kernel_size.All(k => k == 1)
        && conv.stride.Length == 2 && conv.stride[0] == conv.stride[1] && conv.stride[0] > 1
        && (conv.padding is null || conv.padding.All(p => p == 0))
        && conv.dilation.All(d => d == 1)
        && conv.padding_mode == PaddingModes.Zeros;

    public override string ToString() =>
        $"StridedPointwiseConv2d({in_channels}, {out_channels}, stride={stride}{(groups != 1 ? $", groups={groups}" : "")}{(bias is null ? ", bias=False" : "")})";
}
