using System.Net;
using System.Net.Sockets;

namespace Forwarder.IntegrationTests.Infrastructure;

/// <summary>Whether a TCP connection to an endpoint opens from inside a namespace.</summary>
public static class TcpProbe
{
    public static bool CanConnect(NetworkNamespace from, IPEndPoint endpoint, TimeSpan timeout)
    {
        using Socket socket = from.RunInside(() => new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            socket.ConnectAsync(endpoint, cancel.Token).AsTask().Wait(cancel.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or AggregateException)
        {
            return false;
        }
    }
}
