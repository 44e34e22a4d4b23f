namespace DropActivation.Analysis.ShiftRatio;

/// <summary>The shift ratio of one activation's run after one epoch (epoch 0: at initialisation).</summary>
/// <param name="Activation">Activation name of the run.</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="TrainLoss">Mean training loss of the epoch (NaN at epoch 0).</param>
/// <param name="TrainError">Training error of the epoch (NaN at epoch 0).</param>
/// <param name="VarTrain">Channel-averaged variance of the stage output, random layers in training behaviour.</param>
/// <param name="VarTest">Channel-averaged variance of the stage output, random layers in their test-time form.</param>
/// <param name="Ratio">The paper's shift ratio VarTest / VarTrain.</param>
/// <param name="MeanChannelRatio">The mean of the per-channel ratios.</param>
public sealed record ShiftRatioEpoch(string Activation, int Epoch, double TrainLoss, double TrainError, double VarTrain, double VarTest,
    double Ratio, double MeanChannelRatio);
