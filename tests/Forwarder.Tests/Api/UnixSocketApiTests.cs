using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>The API on a Unix socket: served, restricted to owner and group, removed when stopped, and a stale one replaced.</summary>
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

    public void Dispose() => _directory.Delete(recursive: true);
}
