using static TorchSharp.torch;

namespace DropActivation.Models.Registry;

/// <summary>
/// What a zoo model is built from, besides its name: number of classes (outputs), input channels,
/// input image size, the activation factory, dropout (for the models whose original has it) and
/// which stages get that activation.
/// </summary>
/// <param name="NumClasses">Classes of the classifier (outputs of the regression MLP).</param>
/// <param name="InChannels">Input channels (3 for CIFAR/SVHN/ImageNet, 1 for MNIST/EMNIST; input features of the MLP).</param>
/// <param name="ImageSize">Input height = width (32 CIFAR, 28 MNIST, 224 ImageNet, 8 for 8×8 digits). Only the simple CNN's
/// head depends on it; the other models pool adaptively, and the value is checked against their minimum.</param>
public sealed record ModelConfig(int NumClasses = 10, int InChannels = 3, int ImageSize = 32)
{
    /// <summary>
    /// Builds one activation module per call (a fresh module each time). Null: ReLU, the originals' activation.
    /// See <see cref="ActivationFactory"/> for "relu" | "rrelu" | "dropact".
    /// </summary>
    public Func<nn.Module<Tensor, Tensor>>? Activation { get; init; }

    /// <summary>
    /// Dropout probability for models whose original uses dropout (Wide ResNet: 0.3 on CIFAR, 0.4 on SVHN).
    /// Null: the registry entry's default. A positive value for a model without dropout is an error.
    /// </summary>
    public double? Dropout { get; init; }

    /// <summary>
    /// The stages (top-level submodule names, e.g. "layer3", "layer4") whose activations
    /// <see cref="Activation"/> builds; every other activation (stem, other stages, head) stays ReLU.
    /// Null: <see cref="Activation"/> everywhere. The paper's ImageNet runs use the last two stages
    /// (<see cref="ModelRegistry.LastStages(string, int)"/>).
    /// </summary>
    public IReadOnlyList<string>? ActivationStages { get; init; }
}
