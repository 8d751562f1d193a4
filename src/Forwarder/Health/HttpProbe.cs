using System.Net;
using System.Net.Sockets;
using System.Text;
using Forwarder.Configuration;

namespace Forwarder.Health;

/// <summary>
/// <c>GET path HTTP/1.1</c> on a fresh connection (<c>Connection: close</c>, no reuse); only the status
/// line is read. The answer must carry the check's expected status, or any 2xx when it names none.
/// <c>Host:</c> is the address probed (the backend's, or the VIP's with <c>via: vip</c>), with the port unless it is 80.
/// </summary>
public sealed class HttpProbe(TimeProvider? timeProvider = null, IProbeMarks? marks = null) : SocketProbe(timeProvider, marks)
{
    /// <summary>A status line longer than this is not taken for one.</summary>
    public const int MaxStatusLine = 1024;

    public static bool Accepts(HealthCheckConfig check, int status) =>
        check.ExpectStatus is { } expected ? status == expected : status is >= 200 and <= 299;

    /// <summary>The request bytes sent for <paramref name="target"/>.</summary>
    public static byte[] Request(HealthTarget target)
    {
        IPAddress address = target.EndPoint.Address;
        string host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        if (target.Port != 80)
            host += $":{target.Port}";
        return Encoding.UTF8.GetBytes(
            $"GET {target.Check.Path ?? "/"} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: forwarder-healthcheck\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    }

    protected override async ValueTask<(bool Success, string Reason)> ExchangeAsync(Socket socket, HealthTarget target, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> request = Request(target);
        while (!request.IsEmpty)
            request = request[await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];

        byte[] buffer = new byte[MaxStatusLine];
        int filled = 0;
        int end = -1;
        while (filled < buffer.Length && end < 0)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
                break;
            end = HttpStatusLine.EndOf(buffer.AsSpan(filled, received));
            if (end >= 0)
                end += filled;
            filled += received;
        }
        if (filled == 0)
            return (false, "connection closed without an answer");
        if (end < 0 || !HttpStatusLine.TryParse(buffer.AsSpan(0, end), out int status))
            return (false, $"not an HTTP response: '{HttpStatusLine.Printable(buffer.AsSpan(0, filled))}'");
        string expected = target.Check.ExpectStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "2xx";
        return Accepts(target.Check, status) ? (true, $"HTTP {status}") : (false, $"HTTP {status}, expected {expected}");
    }
}
