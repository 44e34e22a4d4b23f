using System.Diagnostics;
using System.Globalization;
using DropActivation.Training.Logging;
using DropActivation.Training;

namespace DropActivation.Cli.Commands.Training;

/// <summary>
/// Progress of a training run on the console: a one-line progress bar with loss and ETA rewritten in
/// place on a terminal (plain per-epoch lines when output is redirected), and one summary line per epoch.
/// </summary>
internal sealed class ConsoleMonitor(TextWriter output, bool interactive) : ITrainingMonitor
{
    private readonly Stopwatch _clock = new();
    private int _steps, _epoch, _epochs;
    private double _lossSum;
    private long _lastDraw;

    public void EpochStarted(int epoch, int epochs, int steps, double lr)
    {
        (_epoch, _epochs, _steps, _lossSum) = (epoch, epochs, steps, 0);
        _clock.Restart();
        _lastDraw = 0;
    }

    public void StepFinished(int epoch, int step, double loss)
    {
        _lossSum += loss;
        if (!interactive || (_clock.ElapsedMilliseconds - _lastDraw < 200 && step != _steps)) return;
        _lastDraw = _clock.ElapsedMilliseconds;
        double frac = (double)step / _steps;
        int filled = (int)(frac * 30);
        var eta = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / step * (_steps - step));
        output.Write(string.Create(CultureInfo.InvariantCulture,
            $"\repoch {_epoch}/{_epochs} [{new string('#', filled)}{new string('.', 30 - filled)}] {step}/{_steps} loss {_lossSum / step:0.0000} ETA {eta:mm\\:ss}   "));
    }

    public void EpochFinished(EpochMetrics m, bool best)
    {
        if (interactive) output.Write('\r');
        // An epoch that --eval-every skips has no test figures.
        string test = m.TestError is { } err
            ? string.Create(CultureInfo.InvariantCulture, $"test loss {m.TestLoss:0.0000} err {100 * err:0.00}%{(m.TestTop5Error is { } t5 ? $" top-5 {100 * t5:0.00}%" : "")}")
            : "test not evaluated";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch,3}/{_epochs}  lr {m.LearningRate:0.#####}  train loss {m.TrainLoss:0.0000} err {100 * m.TrainError:0.00}%  {test}  {m.Seconds:0.0}s{(best ? "  *best" : "")}"));
    }

    public void Info(string message) => output.WriteLine(message);
}
