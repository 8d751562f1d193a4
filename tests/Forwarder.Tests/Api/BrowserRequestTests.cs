using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>
/// A web page in a browser on the host cannot drive the API: no CORS "simple request" (a text/plain POST),
/// no request carrying an Origin, no DNS-rebinding Host — and what a refused request asked for did not happen.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BrowserRequestTests : IAsyncLifetime
{
    private const string HeavyBackend = """{"address": "10.0.0.9", "weight": 1000}""";

    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private int Port => _api.Server.Address.EndPoint!.Port;

    [Fact]
    public async Task A_cors_simple_request_from_a_page_is_refused_and_changes_nothing()
    {
        using var request = Post($"{ApiConfigs.VipPath}/backends", HeavyBackend, "text/plain");
        request.Headers.Add("Origin", "http://evil.example");

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 403, $"{status} {body}");
        Assert.Contains("Origin", body);
        AssertUnchanged();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_application_json_is_refused_415(string? contentType)
    {
        using var request = Post($"{ApiConfigs.VipPath}/backends", HeavyBackend, contentType);

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 415, $"{status} {body}");
        Assert.Contains("Content-Type: application/json", body);
        AssertUnchanged();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task A_body_declared_application_json_is_accepted(string contentType)
    {
        using var request = Post($"{ApiConfigs.VipPath}/backends", HeavyBackend, contentType);

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 200, $"{status} {body}");
        Assert.Equal(2, _api.Forwarder.Version);
    }

    [Theory]
    [InlineData("/status")]
    [InlineData("/metrics")]
    [InlineData("/config")]
    public async Task A_read_carrying_an_origin_is_refused(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Add("Origin", "null");

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 403, $"{status} {body}");
    }

    [Theory]
    [InlineData("GET", "/status")]
    [InlineData("GET", "/metrics")]
    [InlineData("DELETE", ApiConfigs.VipPath)]
    [InlineData("GET", "/nowhere")]
    public async Task A_dns_rebinding_host_is_refused(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        request.Headers.Host = $"evil.example:{Port}";

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 421, $"{status} {body}");
        Assert.Contains("evil.example", body);
        Assert.Contains($"127.0.0.1:{Port}", body);
        AssertUnchanged();
    }

    [Theory]
    [InlineData("127.0.0.1:{0}")]
    [InlineData("localhost:{0}")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    public async Task The_listening_address_and_localhost_are_accepted_hosts(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Host = string.Format(System.Globalization.CultureInfo.InvariantCulture, host, Port);

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 200, $"{status} {body}");
    }

    [Theory]
    [InlineData("127.0.0.1:1")]
    [InlineData("127.0.0.2:{0}")]
    [InlineData("localhost.evil.example:{0}")]
    [InlineData("[::1]:{0}")]
    public async Task Another_address_or_port_is_refused(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Host = string.Format(System.Globalization.CultureInfo.InvariantCulture, host, Port);

        (int status, string body) = await _api.Exchange(request);

        Assert.True(status == 421, $"{status} {body}");
    }

    [Theory]
    [InlineData("[::1]:{0}", 200)]
    [InlineData("localhost:{0}", 200)]
    [InlineData("127.0.0.1:{0}", 421)]
    [InlineData("evil.example:{0}", 421)]
    public async Task On_ipv6_loopback_the_host_is_that_address_or_localhost(string host, int expected)
    {
        await using TestApi api = await TestApi.StartAsync(address: ApiAddress.Tcp(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 0)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Host = string.Format(System.Globalization.CultureInfo.InvariantCulture, host, api.Server.Address.EndPoint!.Port);

        (int status, string body) = await api.Exchange(request);

        Assert.True(status == expected, $"{status} {body}");
    }

    private static HttpRequestMessage Post(string path, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
    }

    private void AssertUnchanged()
    {
        Assert.Equal(1, _api.Forwarder.Version);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], _api.Forwarder.Runtime.Config.Vips.Single().Backends.Select(b => b.Address.ToString()));
    }
}
