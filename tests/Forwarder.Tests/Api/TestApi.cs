using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Forwarder.Api;
using Forwarder.Cli;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forwarder.Tests.Api;

/// <summary>The control API served on an ephemeral loopback port (or a Unix socket) over a <see cref="TestForwarder"/>, and a client for it.</summary>
[SupportedOSPlatform("linux")]
internal sealed class TestApi : IAsyncDisposable
{
    private TestApi(TestForwarder forwarder, ControlApiServer server, ApiToken? token)
    {
        Forwarder = forwarder;
        Server = server;
        Client = new ApiClient(new ApiTarget(server.Address, token));
    }

    public TestForwarder Forwarder { get; }

    public ControlApiServer Server { get; }

    public ApiClient Client { get; }

    /// <summary>The address to give the CLI's <c>--api</c>.</summary>
    public string Address => Server.Address.ToString();

    /// <param name="token">The token the server requires and <see cref="Client"/> sends; null for none.</param>
    public static async Task<TestApi> StartAsync(TestForwarder? forwarder = null, ApiAddress? address = null, ILogger? log = null, ApiToken? token = null)
    {
        forwarder ??= new TestForwarder();
        ControlApiServer server = await ControlApiServer.StartAsync(forwarder, address ?? ApiAddress.Tcp(new IPEndPoint(IPAddress.Loopback, 0)), log ?? NullLogger.Instance, token);
        return new TestApi(forwarder, server, token);
    }

    public Task<ApiResponse> Get(string path) => Client.GetAsync(path);

    public Task<ApiResponse> Send(HttpMethod method, string path, string? body = null) => Client.SendAsync(method, path, body);

    public async Task<JsonElement> GetJson(string path)
    {
        ApiResponse response = await Get(path);
        Assert.True(response.Status == 200, $"GET {path}: {response.Status} {response.Body}");
        return JsonDocument.Parse(response.Body).RootElement;
    }

    /// <summary>The raw HTTP answer, headers included.</summary>
    public async Task<HttpResponseMessage> Raw(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Address}/") };
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        return await http.SendAsync(request);
    }

    /// <summary>A request built by the test (headers of its choice: Host, Origin, Authorization...), answered as it comes back.</summary>
    public async Task<(int Status, string Body)> Exchange(HttpRequestMessage request)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (Server.Address.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Server.Address.SocketPath is null ? $"http://{Address}/" : "http://localhost/") };
        using HttpResponseMessage response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Forwarder.Dispose();
    }
}
