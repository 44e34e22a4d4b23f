using DropActivation.Activations;
using DropActivation.Kernels;
using DropActivation.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation;

/// <summary>
/// Entry point of the library, in TorchSharp's style: factories for the modules
/// (<c>DA.DropAct(0.95)</c>, <c>DA.RandomizedReLU()</c>) and their functional forms
/// (<c>DA.functional.drop_act(x, 0.95, training)</c>).
/// </summary>
public static class DA
{
    /// <summary>The paper's probability of keeping a nonlinearity.</summary>
    public const double DefaultP = 0.95;

    /// <summary>RReLU slope bounds used by the paper (from Xu et al.).</summary>
    public const double DefaultRReLULower = 1.0 / 8.0, DefaultRReLUUpper = 1.0 / 3.0;

    /// <summary>Drop-Activation around ReLU with keep probability p.</summary>
    public static DropAct DropAct(double p = DefaultP, DropActBackend backend = DropActBackend.Auto)
        => new(p, ElementwiseActivation.ReLU, backend);

    /// <summary>Drop-Activation around any element-wise activation f (tanh, sigmoid, GELU, SiLU, your own).</summary>
    public static DropAct DropAct(ElementwiseActivation activation, double p = DefaultP, DropActBackend backend = DropActBackend.Auto)
        => new(p, activation, backend);

    /// <summary>Drop-Activation around a user's own element-wise function.</summary>
    public static DropAct DropAct(string name, Func<Tensor, Tensor> activation, double p = DefaultP)
        => new(p, ElementwiseActivation.Custom(name, activation), DropActBackend.Auto);

    /// <summary>The paper's RReLU baseline: random slope U(lower, upper) per element in training.</summary>
    public static RandomizedReLU RandomizedReLU(double lower = DefaultRReLULower, double upper = DefaultRReLUUpper,
        DropActBackend backend = DropActBackend.Auto)
        => new(lower, upper, backend);

    /// <summary>The deterministic test-time activation (1-p)·x + p·f(x) as a plain layer.</summary>
    public static AveragedActivation AveragedActivation(ElementwiseActivation activation, double p = DefaultP)
        => new(p, activation);

    /// <summary>
    /// Whether the fast ReLU kernel runs its native part (libdropact_native.so, built with gcc) on
    /// libtorch's threads; false means the managed kernel does the same work (same masks and bits).
    /// </summary>
    public static bool NativeKernelAvailable => NativeKernel.Available;

    /// <summary>
    /// Mixed precision on the CPU for the calling thread until disposed, as <c>torch.autocast("cpu", dtype)</c>:
    /// <c>using (DA.Autocast()) { var loss = criterion(model.forward(x), y); }</c>. See <see cref="Precision.Autocast"/>.
    /// </summary>
    /// <param name="dtype">BFloat16 (the default; fast where <see cref="Runtime.CpuFeatures.ComputesBFloat16Natively"/>) or Float16.</param>
    /// <param name="enabled">False opens a scope that switches autocast off (for a region inside an autocast one).</param>
    public static Precision.Autocast Autocast(ScalarType dtype = ScalarType.BFloat16, bool enabled = true) => new(dtype, enabled);

    /// <summary>
    /// The one check of a keep probability, used wherever a p is taken (layers, surgery, training, the analyses,
    /// the command line): p must lie in [0, 1] (0 is the identity, 1 the plain activation).
    /// </summary>
    /// <param name="p">The keep probability.</param>
    /// <param name="name">How the caller names it in the message, e.g. "p" or "--p".</param>
    /// <returns><paramref name="p"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">p is NaN or outside [0, 1].</exception>
    public static double CheckP(double p, string name = "p") => p is >= 0.0 and <= 1.0 ? p
        : throw new ArgumentOutOfRangeException(name, p, $"Drop-Activation's keep probability {name} must lie in [0, 1], got {p}.");

    internal static void CheckSlopes(double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsInfinity(lower) || lower < 0.0)
            throw new ArgumentOutOfRangeException(nameof(lower), lower, $"RReLU lower slope must be a finite number >= 0, got {lower}.");
        if (double.IsNaN(upper) || double.IsInfinity(upper) || upper < lower)
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"RReLU upper slope must be finite and >= lower ({lower}), got {upper}.");
    }

    /// <summary>
    /// Runs backward from <paramref name="tensor"/> as <c>tensor.backward(...)</c> does, but when the
    /// backward of a Drop-Activation or RReLU node failed (say its output was changed in place
    /// after forward), throws a <see cref="BackwardFailedException"/> with the real cause instead of
    /// libtorch's generic "returned an invalid gradient" error. Nothing of the graph is kept unless
    /// <paramref name="retain_graph"/>.
    /// </summary>
    public static void backward(Tensor tensor, Tensor? gradient = null, bool retain_graph = false, bool create_graph = false)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long before = BackwardFailures.Count;
        try
        {
            tensor.backward(gradient is null ? null : new[] { gradient }, retain_graph, create_graph);
        }
        catch (System.Runtime.InteropServices.ExternalException) when (BackwardFailures.Since(before) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Functional forms, as in <c>torch.nn.functional</c>.</summary>
    public static class functional
    {
        /// <summary>
        /// Drop-Activation. Training: y = (1-P)·x + P·f(x), P ~ Bernoulli(p) per element;
        /// evaluation: (1-p)·x + p·f(x) (leaky_relu(x, 1-p) for ReLU). p = 1 is f exactly, p = 0 the identity.
        /// </summary>
        public static Tensor drop_act(Tensor input, double p = DefaultP, bool training = true,
            ElementwiseActivation? activation = null, DropActBackend backend = DropActBackend.Auto)
        {
            ArgumentNullException.ThrowIfNull(input);
            CheckP(p, nameof(p));
            var f = activation ?? ElementwiseActivation.ReLU;
            if (input.numel() == 0) return input.alias(); // nothing to draw or compute, on any backend
            if (p == 1.0) return f.Apply(input);
            if (p == 0.0) return input.alias();
            if (!training)
                return f.IsReLU ? nn.functional.leaky_relu(input, 1.0 - p) : torch.lerp(input, f.Apply(input), p);

            bool fastApplies = f.IsReLU && ReluDropActCpuKernel.Supports(input);
            if (backend == DropActBackend.Fast && !fastApplies)
                throw new NotSupportedException(
                    $"The fast Drop-Activation kernel needs ReLU on a CPU float32/float64/bfloat16 tensor; got f={f.Name}, {input.dtype} on {input.device}.");
            if (backend != DropActBackend.Portable && fastApplies)
                return FastRelu(input, p);

            using var keep = keep_mask(input, p);
            return drop_act_with_mask(input, keep, f);
        }

        /// <summary>
        /// Drop-Activation with a given mask: y = f(x) where <paramref name="keep"/> is true,
        /// x where it is false. For ReLU it is written as where(keep &amp; x &lt;= 0, 0, x), so the
        /// gradient at x = 0 follows ReLU's convention (0 where the nonlinearity is kept).
        /// </summary>
        public static Tensor drop_act_with_mask(Tensor input, Tensor keep, ElementwiseActivation? activation = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(keep);
            var f = activation ?? ElementwiseActivation.ReLU;
            using var k = keep.dtype == ScalarType.Bool ? keep.alias() : keep.to_type(ScalarType.Bool);
            if (f.IsReLU)
            {
                using var nonPositive = input.le(0);
                using var zeroed = k.logical_and(nonPositive);
                using var zero = torch.zeros(Array.Empty<long>(), dtype: input.dtype, device: input.device);
                return torch.where(zeroed, zero, input);
            }
            using var fx = f.Apply(input);
            return torch.where(k, fx, input);
        }

        /// <summary>
        /// A keep-mask for Drop-Activation: true with probability p, independently per element,
        /// on the input's device. Drawn from torch's generator (uniform numbers compared with p),
        /// so torch.manual_seed fixes it, whatever the number of threads.
        /// </summary>
        public static Tensor keep_mask(Tensor input, double p)
        {
            CheckP(p, nameof(p));
            var uniformType = input.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
            using var u = torch.rand(input.shape, dtype: uniformType, device: input.device);
            return u.lt(p);
        }

        /// <summary>
        /// The paper's RReLU. Training: y = x for x &gt;= 0, a·x with a ~ U(lower, upper) per element;
        /// evaluation: slope (lower + upper)/2. On CPU float32/float64/bfloat16 (any dense layout, kept) with lower &gt; 0 a fast kernel
        /// with counter-based slopes (recomputed in backward, never stored) is used.
        /// </summary>
        public static Tensor rrelu(Tensor input, double lower = DefaultRReLULower, double upper = DefaultRReLUUpper, bool training = true,
            DropActBackend backend = DropActBackend.Auto)
        {
            ArgumentNullException.ThrowIfNull(input);
            CheckSlopes(lower, upper);
            if (input.numel() == 0) return input.alias();
            if (!training) return nn.functional.leaky_relu(input, (lower + upper) / 2.0);
            bool fastApplies = RReluCpuKernel.Supports(input, lower);
            if (backend == DropActBackend.Fast && !fastApplies)
                throw new NotSupportedException($"The fast RReLU kernel needs lower > 0 and a CPU float32/float64/bfloat16 tensor; got lower={lower}, {input.dtype} on {input.device}.");
            if (backend != DropActBackend.Portable && fastApplies)
            {
                if (input.dim() == 0) return OnOneElementView(input, v => rrelu(v, lower, upper, training, backend));
                ulong seed = ReluDropActCpuKernel.DrawSeed();
                return torch.is_grad_enabled() && input.requires_grad
                    ? RReluFunction.Apply(input, lower, upper, seed)
                    : RReluCpuKernel.Forward(input, lower, upper, seed);
            }
            using var slope = torch.empty_like(input).uniform_(lower, upper);
            using var nonNegative = input.ge(0);
            using var scaled = input.mul(slope);
            return torch.where(nonNegative, input, scaled);
        }

        /// <summary>A 0-dimensional input goes through the kernels as a 1-element vector (their nodes need a dimension).</summary>
        private static Tensor OnOneElementView(Tensor input, Func<Tensor, Tensor> apply)
        {
            using var vector = input.reshape(1);
            using var result = apply(vector);
            return result.reshape(Array.Empty<long>());
        }

        /// <summary>The fast CPU ReLU path: autograd node when a gradient is needed, plain kernel otherwise.</summary>
        private static Tensor FastRelu(Tensor input, double p)
        {
            if (input.dim() == 0) return OnOneElementView(input, v => FastRelu(v, p));
            ulong seed = ReluDropActCpuKernel.DrawSeed();
            if (torch.is_grad_enabled() && input.requires_grad)
                return ReluDropActFunction.Apply(input, p, seed);
            return ReluDropActCpuKernel.Forward(input, p, seed, record: false, out _);
        }
    }
}
