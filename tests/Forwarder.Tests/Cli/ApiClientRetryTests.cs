using System.Net;
using System.Net.Sockets;
using System.Text;
using Forwarder.Api;
using Forwarder.Cli;

namespace Forwarder.Tests.Cli;

/// <summary>
/// A connection closed before any answer (what a forwarder handing its API over does to one it accepted but had not
/// read) is asked again on a new connection for a GET, which changes nothing (the HTTP stack under the client does
/// that, a bounded number of times); never for a request that changes something.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApiClientRetryTests
{
    [Fact]
    public async Task A_get_whose_connection_closed_unanswered_is_asked_once_more()
    {
        using var server = new ClosingServer(closeFirst: 1);
        var client = new ApiClient(new ApiTarget(ApiAddress.Tcp(server.EndPoint)), TimeSpan.FromSeconds(10));

        ApiResponse response = await client.GetAsync("/status");

        Assert.Equal(200, response.Status);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_get_never_answered_is_unreachable_after_a_bounded_number_of_tries()
    {
        using var server = new ClosingServer(closeFirst: int.MaxValue);
        var client = new ApiClient(new ApiTarget(ApiAddress.Tcp(server.EndPoint)), TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<ApiUnreachableException>(() => client.GetAsync("/status"));
        Assert.InRange(server.Connections, 2, 4);
    }

    [Fact]
    public async Task A_post_closed_unanswered_is_not_sent_again()
    {
        using var server = new ClosingServer(closeFirst: 1);
        var client = new ApiClient(new ApiTarget(ApiAddress.Tcp(server.EndPoint)), TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<ApiUnreachableException>(() => client.SendAsync(HttpMethod.Post, "/vips", "{}"));
        Assert.Equal(1, server.Connections);
    }

    /// <summary>Closes its first <c>closeFirst</c> connections once their request arrived, then answers 200.</summary>
    private sealed class ClosingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Thread _thread;
        private readonly int _closeFirst;
        private int _connections;

        public ClosingServer(int closeFirst)
        {
            _closeFirst = closeFirst;
            _listener.Start();
            _thread = new Thread(Serve) { IsBackground = true };
            _thread.Start();
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

        public int Connections => Volatile.Read(ref _connections);

        private void Serve()
        {
            try
            {
                for (int i = 0; i < 10; i++)
                {
                    using Socket socket = _listener.AcceptSocket();
                    int n = Interlocked.Increment(ref _connections);
                    socket.ReceiveTimeout = 5000;
                    var buffer = new byte[4096];
                    int read = 0;
                    while (read < buffer.Length && socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None) is var got and > 0)
                    {
                        read += got;
                        if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                            break;
                    }
                    if (n > _closeFirst)
                        socket.Send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
