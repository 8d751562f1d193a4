using System.Net;
using System.Runtime.Versioning;
using Forwarder.Api;

namespace Forwarder.Tests.Api;

/// <summary>The <c>--api</c> values: TCP addresses, Unix sockets, none; and what a mistake is told.</summary>
[SupportedOSPlatform("linux")]
public sealed class ApiAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9180", "127.0.0.1:9180")]
    [InlineData("localhost:9181", "127.0.0.1:9181")]
    [InlineData("[::1]:9180", "[::1]:9180")]
    [InlineData("http://127.0.0.1:9180/", "127.0.0.1:9180")]
    [InlineData("unix:/run/forwarder/forwarder.sock", "unix:/run/forwarder/forwarder.sock")]
    public void Addresses_are_read_and_written_back(string text, string expected) =>
        Assert.Equal(expected, ApiAddress.Parse(text)!.ToString());

    [Fact]
    public void None_disables_the_api() => Assert.Null(ApiAddress.Parse("none"));

    [Fact]
    public void The_default_is_loopback_port_9180() =>
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9180), ApiAddress.Parse(ApiAddress.DefaultText)!.EndPoint);

    [Theory]
    [InlineData("127.0.0.1", "ADDRESS:PORT")]
    [InlineData("::1:9180", "[ADDRESS]:PORT")]
    [InlineData("127.0.0.1:http", "'http' is not a port number")]
    [InlineData("example:9180", "'example' is not an IPv4 or IPv6 address")]
    [InlineData("unix:", "needs the socket's path")]
    public void Mistakes_are_told_what_to_give(string text, string fragment)
    {
        FormatException e = Assert.Throws<FormatException>(() => ApiAddress.Parse(text));
        Assert.Contains(fragment, e.Message);
    }
}
