using System.Globalization;
using System.Text;

namespace DropActivation.Analysis.PSweep;

/// <summary>The p-sweep's tables: one row per p (p-sweep.csv) and one row per run (p-sweep-runs.csv).</summary>
public static class PSweepCsv
{
    /// <summary>File name of the per-p table.</summary>
    public const string PointsFile = "p-sweep.csv";

    /// <summary>File name of the per-run table.</summary>
    public const string RunsFile = "p-sweep-runs.csv";

    /// <summary>Writes both tables into <paramref name="dir"/> (created if missing); returns their paths.</summary>
    public static (string Points, string Runs) Write(string dir, PSweepResult result)
    {
        Directory.CreateDirectory(dir);
        var points = Path.Combine(dir, PointsFile);
        var runs = Path.Combine(dir, RunsFile);
        File.WriteAllText(points, Points(result.Points), new UTF8Encoding(false));
        File.WriteAllText(runs, Runs(result.Runs), new UTF8Encoding(false));
        return (points, runs);
    }

    /// <summary>The per-p table: mean validation error, standard deviation, t quantile and interval.</summary>
    public static string Points(IEnumerable<PSweepPoint> points)
    {
        var sb = new StringBuilder("p,activation,runs,mean_val_error,std,t_quantile,ci_half_width,ci_low,ci_high\n");
        foreach (var x in points)
        {
            var c = x.ValidationError;
            sb.Append(CultureInfo.InvariantCulture, $"{x.P:0.###},{(x.P >= 1 ? "relu" : "dropact")},{c.Count},{c.Mean:R},{c.Std:R},{c.TQuantile:R},{c.HalfWidth:R},{c.Low:R},{c.High:R}\n");
        }
        return sb.ToString();
    }

    /// <summary>The per-run table, ordered by p then run.</summary>
    public static string Runs(IEnumerable<PSweepRun> runs)
    {
        var sb = new StringBuilder("p,run,seed,train_loss,train_error,val_error,seconds\n");
        foreach (var r in runs.OrderBy(r => r.P).ThenBy(r => r.Run))
            sb.Append(CultureInfo.InvariantCulture, $"{r.P:0.###},{r.Run},{r.Seed},{r.TrainLoss:R},{r.TrainError:R},{r.ValidationError:R},{r.Seconds:0.###}\n");
        return sb.ToString();
    }
}
