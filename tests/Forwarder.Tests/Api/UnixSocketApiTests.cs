using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>
/// The API on a Unix socket: served, restricted to owner and group, removed when stopped, and a stale one replaced.
/// Any Host is accepted there (a browser cannot connect to a socket), an Origin is not.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class UnixSocketApiTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("forwarder-sock-");

    private string SocketPath => Path.Combine(_directory.FullName, "run", "forwarder.sock");

    [Fact]
    public async Task The_api_answers_on_its_socket_and_removes_it_when_stopped()
    {
        await using (TestApi api = await TestApi.StartAsync(address: ApiAddress.Unix(SocketPath)))
        {
            Assert.Equal($"unix:{SocketPath}", api.Address);
            JsonElement status = await api.GetJson("/status");
            Assert.Equal(1, status.GetProperty("version").GetInt64());
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(SocketPath) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite));
        }
        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task A_socket_left_behind_is_replaced_and_one_in_use_is_not()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        using (var stale = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
            stale.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(SocketPath)); // bound, never listening: what a killed process leaves

        await using TestApi api = await TestApi.StartAsync(address: ApiAddress.Unix(SocketPath));
        Assert.Equal(1, (await api.GetJson("/status")).GetProperty("version").GetInt64());

        using var second = new TestForwarder();
        IOException refused = await Assert.ThrowsAsync<IOException>(() => TestApi.StartAsync(second, ApiAddress.Unix(SocketPath)));
        Assert.Contains("another process answers", refused.Message);
    }

    [Fact]
    public async Task On_the_socket_any_host_is_accepted_and_an_origin_refused()
    {
        await using TestApi api = await TestApi.StartAsync(address: ApiAddress.Unix(SocketPath));

        using var named = new HttpRequestMessage(HttpMethod.Get, "status");
        named.Headers.Host = "forwarder";
        (int status, string body) = await api.Exchange(named);
        Assert.True(status == 200, $"{status} {body}");

        using var fromPage = new HttpRequestMessage(HttpMethod.Post, "reload");
        fromPage.Headers.Add("Origin", "http://evil.example");
        (status, body) = await api.Exchange(fromPage);
        Assert.True(status == 403, $"{status} {body}");
    }

    [Fact]
    public async Task On_the_socket_a_body_must_be_application_json_too()
    {
        await using TestApi api = await TestApi.StartAsync(address: ApiAddress.Unix(SocketPath));
        using var request = new HttpRequestMessage(HttpMethod.Post, "vips/10.100.0.1/80/tcp/backends")
        {
            Content = new StringContent("""{"address": "10.0.0.9"}""", System.Text.Encoding.UTF8, "text/plain"),
        };

        (int status, string body) = await api.Exchange(request);

        Assert.True(status == 415, $"{status} {body}");
        Assert.Equal(1, api.Forwarder.Version);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
