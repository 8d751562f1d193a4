using System.Net.Sockets;
using System.Text;

namespace Forwarder.IntegrationTests.Upgrade;

/// <summary>
/// Asks <c>GET /status</c> on the API's Unix socket over and over, each on a new connection, on a thread of its own,
/// until stopped or bounded (<see cref="MaxRequests"/>, <see cref="MaxDuration"/>). Counts what each request met: an
/// answer, a refused connection (nothing listening, or no socket file), or a connection that ended without an answer.
/// Like the forwarder's own client (its HTTP stack), it asks a GET once more when its connection ended before any byte of an answer
/// (a predecessor handing the API over closes a connection it accepted but had not read): counted in <see cref="Retried"/>;
/// a second such end is a failure.
/// </summary>
public sealed class StatusPoller : IDisposable
{
    public const int MaxRequests = 20_000;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(180);

    private readonly string _socket;
    private readonly Thread _thread;
    private readonly List<string> _failures = [];
    private volatile bool _stop;
    private int _answered;
    private int _refused;
    private int _retried;

    public StatusPoller(string socket)
    {
        _socket = socket;
        _thread = new Thread(Run) { IsBackground = true, Name = "status-poller" };
        _thread.Start();
    }

    /// <summary>Requests answered 200 so far.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Requests asked once more because their first connection ended before any byte of an answer.</summary>
    public int Retried => Volatile.Read(ref _retried);

    /// <summary>Connections refused (or no socket file to connect to).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Requests that met anything but a refusal or a 200 answer, as they went.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
                return [.. _failures];
        }
    }

    public void Stop()
    {
        _stop = true;
        if (!_thread.Join(TimeSpan.FromSeconds(30)))
            throw new TimeoutException("the status poller did not stop (a request hangs past its 10 s timeouts?)");
    }

    private void Run()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < MaxRequests && !_stop && clock.Elapsed < MaxDuration; i++)
        {
            if (!Ask(retry: false))
            {
                Interlocked.Increment(ref _retried);
                Ask(retry: true);
            }
            Thread.Sleep(5);
        }
    }

    /// <returns>False only when the connection ended before any byte of an answer and <paramref name="retry"/> is false (nothing counted yet).</returns>
    private bool Ask(bool retry)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_socket));
        }
        catch (SocketException e)
        {
            Interlocked.Increment(ref _refused);
            Fail($"connect: {e.SocketErrorCode}");
            return true;
        }
        try
        {
            socket.Send("GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8);
            var buffer = new byte[16];
            int read = 0;
            while (read < buffer.Length && socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None) is var n and > 0)
                read += n;
            if (read == 0 && !retry)
                return false;
            string line = Encoding.ASCII.GetString(buffer, 0, read);
            if (line.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                Interlocked.Increment(ref _answered);
            else
                Fail($"answer '{line}'" + (retry ? " (asked again)" : ""));
        }
        catch (SocketException e)
        {
            Fail($"request: {e.SocketErrorCode}");
        }
        return true;
    }

    private void Fail(string what)
    {
        lock (_failures)
        {
            if (_failures.Count < 20)
                _failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(30));
    }
}
