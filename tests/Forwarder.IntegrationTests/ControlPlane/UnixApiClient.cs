using System.Net.Sockets;
using System.Text;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>HTTP to the forwarder's control API on a Unix socket (no network namespace to enter).</summary>
public sealed class UnixApiClient : IDisposable
{
    private readonly HttpClient _http;

    public UnixApiClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://forwarder/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <param name="headers">More request headers (e.g. an Origin, as a browser would send).</param>
    public (int Status, string Body) Send(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach ((string name, string value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using HttpResponseMessage response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return ((int)response.StatusCode, reader.ReadToEnd());
    }

    public void Dispose() => _http.Dispose();
}
