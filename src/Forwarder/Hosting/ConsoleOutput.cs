namespace Forwarder.Hosting;

/// <summary>
/// The process's standard output and error, made fail-safe for <c>forwarder run</c>: log lines, the READY,
/// stats and FINAL lines and error messages all go through <see cref="Console.Out"/> and
/// <see cref="Console.Error"/>, so wrapping those two once (before the logger captures them) means no
/// failed write can stop forwarding. Failures are counted (<c>forwarder_log_write_failures_total</c>).
/// A closed pipe is not among them: .NET's console stream treats EPIPE as written (SIGPIPE is ignored).
/// </summary>
public static class ConsoleOutput
{
    private static FailSafeTextWriter? _out;
    private static FailSafeTextWriter? _error;

    /// <summary>Writes to standard output or error that failed since <see cref="Install"/>.</summary>
    public static long WriteFailures => (Volatile.Read(ref _out)?.Failures ?? 0) + (Volatile.Read(ref _error)?.Failures ?? 0);

    /// <summary>Wraps <see cref="Console.Out"/> and <see cref="Console.Error"/>; call before anything keeps a reference to them. Once is enough.</summary>
    public static void Install()
    {
        if (Volatile.Read(ref _out) is not null)
            return;
        var output = new FailSafeTextWriter(Console.Out);
        var error = new FailSafeTextWriter(Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        Volatile.Write(ref _out, output);
        Volatile.Write(ref _error, error);
    }
}
