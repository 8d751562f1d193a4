using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;
using Forwarder.Api;
using Forwarder.Cli;
using Forwarder.Tests.Api;

namespace Forwarder.Tests.Cli;

/// <summary><c>forwarder peers check</c> against fake nodes: agreeing, disagreeing, missing a VIP, down, not a forwarder.</summary>
[SupportedOSPlatform("linux")]
public sealed class PeersCheckTests
{
    private const string DigestA = "aaaaaaaaaaaa0000000000000000000000000000000000000000000000000000";
    private const string DigestB = "bbbbbbbbbbbb0000000000000000000000000000000000000000000000000000";

    private static string Status(params (string Vip, string Digest)[] vips) => JsonSerializer.Serialize(new StatusReply(
        3, "eth0", [],
        vips.Select(v => new VipStatus(v.Vip, "10.100.0.1", 80, "tcp", "dsr-l2", v.Digest, 65537, 0, 0, [])).ToArray(),
        0, [], 0), ApiJson.Options);

    private static async Task<(int ExitCode, string Output, string Errors)> Check(params string[] peers)
    {
        var root = new RootCommand { PeersCommand.Create() };
        var output = new StringWriter();
        var errors = new StringWriter();
        string[] args = ["peers", "check", .. peers.SelectMany(p => new[] { "--peer", p })];
        int exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exitCode, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Nodes_with_the_same_tables_agree()
    {
        using var a = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA), ("10.100.0.2:53/udp", DigestB)));
        using var b = new GarbageApi(Status(("10.100.0.2:53/udp", DigestB), ("10.100.0.1:80/tcp", DigestA)));
        (int exit, string output, string errors) = await Check($"http://{a.Address}", b.Address);
        Assert.True(exit == 0, errors);
        Assert.Contains("all 2 node(s) agree on 2 VIP(s)", output, StringComparison.Ordinal);
        Assert.Matches(@"10\.100\.0\.1:80/tcp +aaaaaaaaaaaa +aaaaaaaaaaaa", output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_different_digest_names_the_vip_and_the_nodes()
    {
        using var a = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA)));
        using var b = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA)));
        using var c = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestB)));
        (int exit, _, string errors) = await Check(a.Address, b.Address, c.Address);
        Assert.Equal(1, exit);
        Assert.Contains($"VIP 10.100.0.1:80/tcp has different tables: digest {DigestA} on {a.Address}, {b.Address}; digest {DigestB} on {c.Address}", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vip_missing_on_a_node_is_a_disagreement()
    {
        using var a = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA), ("10.100.0.2:53/udp", DigestB)));
        using var b = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA)));
        (int exit, string output, string errors) = await Check(a.Address, b.Address);
        Assert.Equal(1, exit);
        Assert.Contains($"VIP 10.100.0.2:53/udp is missing on {b.Address}", errors, StringComparison.Ordinal);
        Assert.Matches(@"10\.100\.0\.2:53/udp +bbbbbbbbbbbb +-", output);
    }

    [Fact]
    public async Task A_node_that_is_down_fails_the_check_by_name()
    {
        using var a = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA)));
        string down = $"127.0.0.1:{FreePort()}";
        (int exit, string output, string errors) = await Check(a.Address, down);
        Assert.Equal(1, exit);
        Assert.Contains($"forwarder peers check: {down}:", errors, StringComparison.Ordinal);
        Assert.Matches(@"10\.100\.0\.1:80/tcp +aaaaaaaaaaaa +\?", output);
    }

    [Theory]
    [InlineData("<html>not a forwarder</html>")]
    [InlineData("{\"vips\": [{\"vip\": null}]}")]
    [InlineData("{}")]
    [InlineData("[1,2,3]")]
    public async Task Something_else_answering_fails_the_check(string body)
    {
        using var a = new GarbageApi(Status(("10.100.0.1:80/tcp", DigestA)));
        using var other = new GarbageApi(body);
        (int exit, _, string errors) = await Check(a.Address, other.Address);
        Assert.Equal(1, exit);
        Assert.Contains($"{other.Address}: the answer is not a forwarder's status", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_peer_address_is_a_usage_error()
    {
        (int exit, _, string errors) = await Check("not-an-address");
        Assert.Equal(2, exit);
        Assert.Contains("--peer", errors + "", StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
