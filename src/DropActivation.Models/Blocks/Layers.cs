using DropActivation.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DropActivation.Models.Blocks;

/// <summary>Small builders shared by the blocks: bias-free convolutions and projection shortcuts.</summary>
internal static class Layers
{
    /// <summary>3×3 convolution, padding 1, no bias.</summary>
    public static Conv2d Conv3x3(long inChannels, long outChannels, long stride = 1, long groups = 1) =>
        nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, groups: groups, bias: false);

    /// <summary>1×1 convolution, no bias.</summary>
    public static Conv2d Conv1x1(long inChannels, long outChannels) =>
        nn.Conv2d(inChannels, outChannels, kernel_size: 1, bias: false);

    /// <summary>
    /// 1×1 convolution with a stride, no bias: <see cref="StridedPointwiseConv2d"/> when the stride
    /// is above 1, so that no backward pass asks oneDNN for its strided 1×1 kernel (it crashes the
    /// process on AVX-512 CPUs; see that class), a plain 1×1 convolution otherwise. Same parameter
    /// names, shapes, initial values and results as nn.Conv2d(in, out, 1, stride).
    /// </summary>
    public static nn.Module<Tensor, Tensor> StridedConv1x1(long inChannels, long outChannels, long stride) =>
        stride == 1
            ? Conv1x1(inChannels, outChannels)
            : new StridedPointwiseConv2d(inChannels, outChannels, stride, bias: false);

    /// <summary>Projection shortcut: 1×1 convolution with stride, followed by BatchNorm when <paramref name="batchNorm"/>.</summary>
    public static Sequential Projection(long inChannels, long outChannels, long stride, bool batchNorm = true) =>
        batchNorm
            ? nn.Sequential(("0", StridedConv1x1(inChannels, outChannels, stride)), ("1", nn.BatchNorm2d(outChannels)))
            : nn.Sequential(("0", StridedConv1x1(inChannels, outChannels, stride)));

    /// <summary>
    /// A stage: <paramref name="blocks"/> blocks in a Sequential named "0", "1", …, the first
    /// with <paramref name="stride"/>; <paramref name="inPlanes"/> becomes planes × expansion.
    /// </summary>
    public static Sequential Stage(ref long inPlanes, long planes, int blocks, long stride, int expansion,
        Func<long, long, long, nn.Module<Tensor, Tensor>> block)
    {
        var list = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < blocks; i++)
        {
            list.Add((i.ToString(), block(inPlanes, planes, i == 0 ? stride : 1)));
            inPlanes = planes * expansion;
        }
        return nn.Sequential(list);
    }
}
