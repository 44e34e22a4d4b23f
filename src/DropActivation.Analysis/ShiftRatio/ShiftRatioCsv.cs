using System.Globalization;
using System.Text;

namespace DropActivation.Analysis.ShiftRatio;

/// <summary>The shift-ratio table (shift-ratio.csv): one row per activation and epoch.</summary>
public static class ShiftRatioCsv
{
    /// <summary>File name of the table.</summary>
    public const string File = "shift-ratio.csv";

    /// <summary>Writes the table into <paramref name="dir"/> (created if missing); returns its path.</summary>
    public static string Write(string dir, ShiftRatioResult result)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, File);
        System.IO.File.WriteAllText(path, Table(result.Epochs), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The table: losses, variances and ratios per activation and epoch.</summary>
    public static string Table(IEnumerable<ShiftRatioEpoch> rows)
    {
        var sb = new StringBuilder("activation,epoch,train_loss,train_error,var_train,var_test,shift_ratio,mean_channel_ratio\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Activation},{r.Epoch},{r.TrainLoss:R},{r.TrainError:R},{r.VarTrain:R},{r.VarTest:R},{r.Ratio:R},{r.MeanChannelRatio:R}\n");
        return sb.ToString();
    }
}
