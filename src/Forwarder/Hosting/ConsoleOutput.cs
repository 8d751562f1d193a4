using System.Text;

namespace Forwarder.Hosting;

/// <summary>
/// The process's standard output and error, made fail-safe for <c>forwarder run</c>: log lines, the READY,
/// stats and FINAL lines and error messages all go through <see cref="Console.Out"/> and
/// <see cref="Console.Error"/>, so replacing those two once (before the logger captures them) means no
/// failed write can stop forwarding. Each is a <see cref="FailSafeTextWriter"/> over the descriptor itself
/// (<see cref="StandardStream"/>), so that every lost line is counted (<c>forwarder_log_write_failures_total</c>),
/// those written into a pipe whose reader is gone (EPIPE; SIGPIPE is ignored) included.
/// </summary>
public static class ConsoleOutput
{
    public const int StandardOutput = 1;
    public const int StandardError = 2;

    private static FailSafeTextWriter? _out;
    private static FailSafeTextWriter? _error;

    /// <summary>Writes to standard output or error that failed since <see cref="Install"/>.</summary>
    public static long WriteFailures => (Volatile.Read(ref _out)?.Failures ?? 0) + (Volatile.Read(ref _error)?.Failures ?? 0);

    /// <summary>Replaces <see cref="Console.Out"/> and <see cref="Console.Error"/>; call before anything keeps a reference to them. Once is enough.</summary>
    public static void Install()
    {
        if (Volatile.Read(ref _out) is not null)
            return;
        FailSafeTextWriter output = Open(StandardOutput), error = Open(StandardError);
        Console.SetOut(output); // Console synchronizes it: lines of the logger's thread and the main thread stay whole
        Console.SetError(error);
        Volatile.Write(ref _out, output);
        Volatile.Write(ref _error, error);
    }

    /// <summary>A writer over <paramref name="fd"/> that flushes at every write: nothing waits in a buffer, so nothing is lost at exit or exec.</summary>
    public static FailSafeTextWriter Open(int fd) =>
        new(new StreamWriter(new StandardStream(fd), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true });
}
