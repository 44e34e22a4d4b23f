using System.Runtime.InteropServices;

namespace DropActivation.Cli;

/// <summary>
/// A cancellation token that SIGINT (Ctrl+C), SIGTERM (scancel, preemption, a time limit) and SIGUSR1 (Slurm's
/// warning signal, <c>--signal=USR1@SECONDS</c>) trip instead of killing the process: train finishes its step,
/// checkpoints its position inside the epoch and exits with <see cref="ExitCodes.Stopped"/>; a sweep stops its train
/// processes the same way and records their runs as interrupted. Further signals while that happens are absorbed.
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public SignalCancellation()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            // Not in the PosixSignal enum; .NET accepts a raw signal number cast to it (10 on Linux).
            PosixSignalRegistration.Create(SigUsr1, Handle),
        ];
    }

    /// <summary>SIGUSR1 as a raw Linux signal number.</summary>
    public const PosixSignal SigUsr1 = (PosixSignal)10;

    public CancellationToken Token => _source.Token;

    /// <summary>The signal's conventional name, for messages.</summary>
    public static string Name(PosixSignal signal) => signal == SigUsr1 ? "SIGUSR1" : signal.ToString();

    /// <summary>The signal that stopped the sweep, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        Signal ??= context.Signal;
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
