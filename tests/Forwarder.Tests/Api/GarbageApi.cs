using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Forwarder.Tests.Api;

/// <summary>
/// Something that is not a forwarder listening where the CLI looks for one: every request on an ephemeral
/// loopback port gets <c>200 OK</c> with <see cref="Body"/>, then the connection is closed.
/// </summary>
internal sealed class GarbageApi : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public GarbageApi(string body)
    {
        Body = body;
        _listener.Start();
        _ = Task.Run(Serve);
    }

    public string Body { get; }

    /// <summary>The address to give the CLI's <c>--api</c>.</summary>
    public string Address => ((IPEndPoint)_listener.LocalEndpoint).ToString();

    private async Task Serve()
    {
        byte[] content = Encoding.UTF8.GetBytes(Body);
        byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n");
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                NetworkStream stream = client.GetStream();
                await ReadHead(stream);
                await stream.WriteAsync(head);
                await stream.WriteAsync(content);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException)
            {
                // The client went away; wait for the next one.
            }
        }
    }

    /// <summary>Reads the request up to its blank line (the CLI's GETs have no body).</summary>
    private static async Task ReadHead(NetworkStream stream)
    {
        var seen = new List<byte>();
        var buffer = new byte[1024];
        while (seen.Count < 64 * 1024)
        {
            int n = await stream.ReadAsync(buffer);
            if (n == 0)
                return;
            seen.AddRange(buffer.AsSpan(0, n).ToArray());
            if (Encoding.ASCII.GetString(seen.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
                return;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
