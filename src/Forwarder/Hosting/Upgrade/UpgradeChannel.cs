using System.Net.Sockets;
using System.Text;

namespace Forwarder.Hosting.Upgrade;

/// <summary>
/// One end of an upgrade's hand-over socket (a Unix stream socket pair): text lines each way. A read that times out
/// or meets the end of the stream (the peer exited) answers null; nothing here throws for the peer's sake.
/// </summary>
public sealed class UpgradeChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    /// <summary>Takes ownership of <paramref name="fd"/>, a connected stream socket.</summary>
    public UpgradeChannel(int fd)
    {
        _socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        var stream = new NetworkStream(_socket, ownsSocket: false);
        _reader = new StreamReader(stream, Encoding.ASCII, false, 1 << 16);
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n", AutoFlush = false };
    }

    /// <summary>Writes the lines and flushes; false when the peer is gone.</summary>
    public bool Send(params string[] lines)
    {
        try
        {
            foreach (string line in lines)
                _writer.WriteLine(line);
            _writer.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The next line, or null when none came within <paramref name="timeout"/> or the peer closed its end.</summary>
    public string? Receive(TimeSpan timeout)
    {
        try
        {
            _socket.ReceiveTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
            return _reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>Waits until the peer closes its end (its process exited) or <paramref name="timeout"/> passes; true when it did.</summary>
    public bool WaitForClose(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                _socket.ReceiveTimeout = (int)Math.Clamp((timeout - clock.Elapsed).TotalMilliseconds, 1, int.MaxValue);
                if (_reader.ReadLine() is null)
                    return true;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                return e is not IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } };
            }
        }
        return false;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _socket.Dispose();
    }
}
