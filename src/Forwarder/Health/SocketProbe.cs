using System.Net.Sockets;

namespace Forwarder.Health;

/// <summary>
/// A probe over one fresh TCP connection: connect within the check's timeout, exchange whatever the
/// kind of check needs, then close with a reset (SO_LINGER 0) so that no TIME_WAIT is left behind on
/// either side at ten probes a second. The one deadline covers connect and exchange. Every exception
/// becomes a failed result naming the step that failed. A <c>via: vip</c> target's socket carries its
/// route's mark (SO_MARK, which takes CAP_NET_ADMIN), which bpf/healthcheck.c turns into the VIP's
/// encapsulation for that backend; without a mark the probe fails, saying why.
/// </summary>
public abstract class SocketProbe : IHealthProbe
{
    private const int SolSocket = 1, SoMark = 36;

    private readonly TimeProvider _time;
    private readonly IProbeMarks? _marks;

    protected SocketProbe(TimeProvider? timeProvider, IProbeMarks? marks = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _marks = marks;
    }

    public async ValueTask<ProbeResult> ProbeAsync(HealthTarget target, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        bool connected = false;
        Socket? socket = null;
        uint mark = 0;
        if (target.Route is { } route)
        {
            string unavailable = "no probe marks: via: vip probes are not set up";
            if (_marks?.MarkOf(route, out unavailable) is not { } routeMark)
                return ProbeResult.Failed($"not sent: {unavailable}", TimeSpan.Zero);
            mark = routeMark;
        }
        try
        {
            using var timeout = new CancellationTokenSource(target.Check.Timeout, _time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (mark != 0)
                    socket.SetRawSocketOption(SolSocket, SoMark, BitConverter.GetBytes(mark));
                await socket.ConnectAsync(target.EndPoint, deadline.Token).ConfigureAwait(false);
                connected = true;
                (bool success, string reason) = await ExchangeAsync(socket, target, deadline.Token).ConfigureAwait(false);
                return new ProbeResult(success, reason, _time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                string missing = connected ? "answer" : "connection";
                return ProbeResult.Failed($"no {missing} within {target.Check.Timeout.TotalMilliseconds} ms", _time.GetElapsedTime(started));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failed("cancelled", _time.GetElapsedTime(started));
        }
        catch (SocketException e)
        {
            return ProbeResult.Failed($"{Step(connected)}: {e.Message}", _time.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            return ProbeResult.Failed($"{Step(connected)}: {e.GetType().Name}: {e.Message}", _time.GetElapsedTime(started));
        }
        finally
        {
            if (socket is not null)
                Abort(socket);
        }
    }

    /// <summary>What the check needs once connected; <paramref name="cancellationToken"/> carries the probe's deadline.</summary>
    protected abstract ValueTask<(bool Success, string Reason)> ExchangeAsync(Socket socket, HealthTarget target, CancellationToken cancellationToken);

    private static string Step(bool connected) => connected ? "exchange" : "connect";

    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Not connected: there is nothing to reset.
        }
        socket.Dispose();
    }
}
