using System.Net;
using System.Net.Sockets;
using Forwarder.IntegrationTests.Infrastructure;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>The host's own traffic from a namespace (not through a VIP): what a socket there sees when it talks to an address.</summary>
public static class HostSockets
{
    /// <summary>Connects over TCP, from <paramref name="localAddress"/> when given; <see cref="SocketError.Success"/>, the refusal, or <see cref="SocketError.TimedOut"/>.</summary>
    public static SocketError Connect(NetworkNamespace from, IPEndPoint to, TimeSpan timeout, IPAddress? localAddress = null)
    {
        using Socket socket = from.RunInside(() =>
        {
            var created = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (localAddress is not null)
                created.Bind(new IPEndPoint(localAddress, 0));
            return created;
        });
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            socket.ConnectAsync(to, cancel.Token).AsTask().Wait(cancel.Token);
            return SocketError.Success;
        }
        catch (OperationCanceledException)
        {
            return SocketError.TimedOut;
        }
        catch (AggregateException e) when (e.InnerException is SocketException socketError)
        {
            return socketError.SocketErrorCode;
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            return SocketError.TimedOut;
        }
    }

    /// <summary>
    /// Sends one datagram on a connected UDP socket and waits for an answer: <see cref="SocketError.ConnectionRefused"/>
    /// when an ICMP port-unreachable came back, <see cref="SocketError.Success"/> when data did, else <see cref="SocketError.TimedOut"/>.
    /// </summary>
    public static SocketError SendDatagram(NetworkNamespace from, IPEndPoint to, TimeSpan timeout)
    {
        using Socket socket = from.RunInside(() => new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        socket.Connect(to);
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            socket.Send("ping"u8);
            socket.Receive(new byte[64]);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.WouldBlock ? SocketError.TimedOut : e.SocketErrorCode;
        }
    }
}
