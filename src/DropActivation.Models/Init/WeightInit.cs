using TorchSharp;
using static TorchSharp.torch;

namespace DropActivation.Models.Init;

/// <summary>
/// The weight initialisations of the reference implementations. PyTorch's defaults (TorchSharp has the
/// same: Kaiming-uniform with a = √5 for conv and linear weights) apply to whatever a rule leaves alone.
/// </summary>
public static class WeightInit
{
    /// <summary>
    /// He et al.'s rule as the CIFAR and torchvision ResNets write it: every conv weight ~ N(0, 2/(k·k·out))
    /// (kaiming_normal_, fan_out, ReLU gain), conv biases 0, BatchNorm weight 1 and bias 0.
    /// </summary>
    public static void KaimingConvsUnitBatchNorm(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = torch.no_grad();
        foreach (var m in model.modules())
        {
            switch (m)
            {
                case TorchSharp.Modules.Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case DropActivation.Modules.StridedPointwiseConv2d pointwise:
                    nn.init.kaiming_normal_(pointwise.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (pointwise.bias is not null) nn.init.zeros_(pointwise.bias);
                    break;
                case TorchSharp.Modules.BatchNorm2d bn:
                    if (bn.weight is not null) nn.init.ones_(bn.weight);
                    if (bn.bias is not null) nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }

    /// <summary>Every linear layer's weight ~ N(0, std²), bias 0 (VGG of bearpaw/pytorch-classification: std 0.01).</summary>
    public static void NormalLinears(nn.Module model, double std)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = torch.no_grad();
        foreach (var linear in model.modules().OfType<TorchSharp.Modules.Linear>())
        {
            nn.init.normal_(linear.weight, 0.0, std);
            if (linear.bias is not null) nn.init.zeros_(linear.bias);
        }
    }

    /// <summary>Every linear layer's bias 0, weight left at PyTorch's default (Wide ResNet of xternalz).</summary>
    public static void ZeroLinearBiases(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = torch.no_grad();
        foreach (var linear in model.modules().OfType<TorchSharp.Modules.Linear>())
            if (linear.bias is not null) nn.init.zeros_(linear.bias);
    }

    /// <summary>
    /// Every linear layer's weight Kaiming-normal with fan_in (gain √2), bias 0 — the classifier rule
    /// of the CIFAR ResNeXt of bearpaw/pytorch-classification (init.kaiming_normal, its default mode).
    /// </summary>
    public static void KaimingFanInLinears(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = torch.no_grad();
        foreach (var linear in model.modules().OfType<TorchSharp.Modules.Linear>())
        {
            nn.init.kaiming_normal_(linear.weight, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
            if (linear.bias is not null) nn.init.zeros_(linear.bias);
        }
    }
}
