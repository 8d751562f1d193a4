using System.Runtime.Versioning;
using Forwarder.Health;

namespace Forwarder.Tests.Health;

[SupportedOSPlatform("linux")]
public sealed class HttpProbeTests
{
    private readonly HttpProbe _probe = new();

    [Fact]
    public async Task A_200_passes_and_the_request_names_path_and_host()
    {
        string? request = null;
        await using LoopbackServer server = LoopbackServer.Http("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", r => request = r);
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Http(server.Port, "/healthz"), CancellationToken.None);
        Assert.True(result.Success, result.Reason);
        Assert.Equal("HTTP 200", result.Reason);
        Assert.NotNull(request);
        Assert.StartsWith("GET /healthz HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains($"\r\nHost: 127.0.0.1:{server.Port}\r\n", request, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", request, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\n\r\n", null, false, "HTTP 500, expected 2xx")]
    [InlineData("HTTP/1.1 301 Moved Permanently\r\n\r\n", null, false, "HTTP 301, expected 2xx")]
    [InlineData("HTTP/1.0 204 No Content\r\n\r\n", null, true, "HTTP 204")]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", 200, false, "HTTP 204, expected 200")]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n", 404, true, "HTTP 404")]
    [InlineData("HTTP/1.1 503\r\n\r\n", 503, true, "HTTP 503")]
    public async Task The_status_must_be_the_expected_one(string response, int? expectStatus, bool success, string reason)
    {
        await using LoopbackServer server = LoopbackServer.Http(response);
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Http(server.Port, expectStatus: expectStatus), CancellationToken.None);
        Assert.Equal(success, result.Success);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public async Task Another_protocol_is_not_an_http_response()
    {
        await using LoopbackServer server = LoopbackServer.Http("SSH-2.0-OpenSSH_9.2\r\n");
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Http(server.Port), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal("not an HTTP response: 'SSH-2.0-OpenSSH_9.2..'", result.Reason);
    }

    [Fact]
    public async Task A_connection_closed_before_any_answer_fails()
    {
        await using LoopbackServer server = LoopbackServer.Start(async (socket, cancellationToken) => await LoopbackServer.ReadRequestAsync(socket, cancellationToken));
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Http(server.Port), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal("connection closed without an answer", result.Reason);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_after_the_timeout()
    {
        await using LoopbackServer server = LoopbackServer.Accepting();
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Http(server.Port, timeoutMs: 100), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal("no answer within 100 ms", result.Reason);
        Assert.InRange(result.Latency, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        ProbeResult result = await _probe.ProbeAsync(ProbeTargets.Http(ProbeTargets.ClosedPort()), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Contains("refused", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_host_header_brackets_ipv6_and_leaves_out_port_80()
    {
        var check = new Forwarder.Configuration.HealthCheckConfig { Kind = Forwarder.Configuration.HealthCheckKind.Http, Path = "/" };
        string v6 = System.Text.Encoding.ASCII.GetString(HttpProbe.Request(new HealthTarget(System.Net.IPAddress.Parse("fc00::a"), 8080, check)));
        string v4 = System.Text.Encoding.ASCII.GetString(HttpProbe.Request(new HealthTarget(System.Net.IPAddress.Parse("10.0.0.1"), 80, check)));
        Assert.Contains("\r\nHost: [fc00::a]:8080\r\n", v6, StringComparison.Ordinal);
        Assert.Contains("\r\nHost: 10.0.0.1\r\n", v4, StringComparison.Ordinal);
    }
}
