using Forwarder.Interop;

namespace Forwarder.Hosting;

/// <summary>
/// Takes back the signals <c>run</c> is driven by (SIGHUP reloads, SIGINT stops, SIGTERM drains or stops, SIGUSR2
/// upgrades) from a launcher that ignored or blocked them. A process inherits both: <c>nohup</c> ignores SIGHUP, a
/// shell without job control starts <c>cmd &amp;</c> with SIGINT ignored, and .NET keeps an ignored signal ignored
/// even under a <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>: <c>kill -HUP</c> would then
/// not reload and <c>kill -INT</c> not stop, without a word. .NET reads a signal's disposition once, when it first
/// sets up signal handling (the first Console, Process or PosixSignalRegistration), so this runs before that.
/// </summary>
public static class ControlSignals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGUSR2 = 12;
    public const int SIGTERM = 15;

    private static readonly int[] Driven = [SIGHUP, SIGINT, SIGUSR2, SIGTERM];

    /// <summary>
    /// Resets each of the signals that is ignored to its default (the handlers registered later replace that) and
    /// unblocks them in the calling thread, whose mask the threads it starts inherit.
    /// </summary>
    public static unsafe void TakeBack()
    {
        Posix.SignalSet driven = default;
        foreach (int signal in Driven)
        {
            driven.Add(signal);
            Posix.SignalAction current;
            if (Posix.SigAction(signal, null, &current) != 0 || current.Handler != Posix.SIG_IGN)
                continue;
            Posix.SignalAction byDefault = default; // SIG_DFL, no flags, empty mask
            Posix.SigAction(signal, &byDefault, null);
        }
        Posix.PthreadSigmask(Posix.SIG_UNBLOCK, &driven, null);
    }
}
