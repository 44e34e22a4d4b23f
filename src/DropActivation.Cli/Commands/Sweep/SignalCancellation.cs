using System.Runtime.InteropServices;

namespace DropActivation.Cli.Commands.Sweep;

/// <summary>
/// A cancellation token that SIGINT (Ctrl+C) and SIGTERM (scancel, preemption) trip instead of killing the
/// process, so the sweep can stop train and record the run as interrupted before it exits.
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
        ];
    }

    public CancellationToken Token => _source.Token;

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
