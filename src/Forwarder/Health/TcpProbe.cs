using System.Net.Sockets;

namespace Forwarder.Health;

/// <summary>A TCP connection must open within the timeout; it is then reset at once.</summary>
public sealed class TcpProbe(TimeProvider? timeProvider = null, IProbeMarks? marks = null) : SocketProbe(timeProvider, marks)
{
    protected override ValueTask<(bool Success, string Reason)> ExchangeAsync(Socket socket, HealthTarget target, CancellationToken cancellationToken) =>
        ValueTask.FromResult((true, "connected"));
}
