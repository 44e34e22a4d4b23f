using DropActivation.Models.Registry;

namespace DropActivation.Training;

/// <summary>Builds the zoo model a run (or a checkpoint) describes.</summary>
public static class ModelFactory
{
    /// <summary>The model for <paramref name="o"/> with the given classes, channels and input size; the activation comes from its name and p.</summary>
    /// <exception cref="ArgumentException">Unknown model or activation name, bad stages or dropout (the message lists the valid choices).</exception>
    public static ZooModel Create(TrainOptions o, int numClasses, int inChannels, int imageSize)
    {
        var config = new ModelConfig(numClasses, inChannels, imageSize)
        {
            Activation = ActivationFactory.FromName(o.Activation, o.P),
            Dropout = o.Dropout,
            ActivationStages = o.DropActStages,
        };
        return ModelRegistry.Create(o.Model, config);
    }
}
