using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Bench;

/// <summary>
/// Pre-activation residual networks for CIFAR-size input, built here so the benchmark has no
/// dependency beyond the layer library: depth 6n+2, widths 16k/32k/64k (k = 1: PreResNet-20
/// with n = 3; k = 4, n = 2: WRN-16-4 without dropout). Every activation is a fresh module from
/// the given factory.
/// </summary>
internal static class BenchNetworks
{
    public static nn.Module<Tensor, Tensor> Build(string name, Func<nn.Module<Tensor, Tensor>> act) => name switch
    {
        "preresnet20" => PreActNet(3, 1, act),
        "wrn-16-4" => PreActNet(2, 4, act),
        _ => throw new ArgumentException($"unknown benchmark network '{name}' (preresnet20, wrn-16-4)"),
    };

    private static nn.Module<Tensor, Tensor> PreActNet(int blocksPerStage, int widen, Func<nn.Module<Tensor, Tensor>> act)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("conv", nn.Conv2d(3, 16, 3, padding: 1, bias: false)) };
        int inPlanes = 16;
        int[] widths = { 16 * widen, 32 * widen, 64 * widen };
        for (int s = 0; s < 3; s++)
        {
            for (int b = 0; b < blocksPerStage; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                layers.Add(($"stage{s + 1}_{b}", new PreActBlock(inPlanes, widths[s], stride, act)));
                inPlanes = widths[s];
            }
        }
        layers.Add(("bn", nn.BatchNorm2d(inPlanes)));
        layers.Add(("act", act()));
        layers.Add(("pool", nn.AdaptiveAvgPool2d(1)));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc", nn.Linear(inPlanes, 10)));
        return nn.Sequential(layers);
    }

    private sealed class PreActBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> bn1, act1, conv1, bn2, act2, conv2;
        private readonly nn.Module<Tensor, Tensor>? shortcut;

        public PreActBlock(int inPlanes, int planes, int stride, Func<nn.Module<Tensor, Tensor>> act) : base(nameof(PreActBlock))
        {
            bn1 = nn.BatchNorm2d(inPlanes);
            act1 = act();
            conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(planes);
            act2 = act();
            conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
            if (stride != 1 || inPlanes != planes)
                shortcut = nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            var o = act1.call(bn1.call(x));
            var sc = shortcut is null ? x : shortcut.call(o);
            var y = conv2.call(act2.call(bn2.call(conv1.call(o))));
            return (y + sc).MoveToOuterDisposeScope();
        }
    }
}
