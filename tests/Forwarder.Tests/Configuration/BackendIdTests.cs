using System.Net;
using System.Runtime.Versioning;
using Forwarder.Cli;
using Forwarder.Configuration;

namespace Forwarder.Tests.Configuration;

/// <summary>How a backend is named: written as operators write it, split and read back from a command line or URL.</summary>
[SupportedOSPlatform("linux")]
public sealed class BackendIdTests
{
    [Theory]
    [InlineData("10.0.0.1", null, "10.0.0.1")]
    [InlineData("10.0.0.1", (ushort)8080, "10.0.0.1:8080")]
    [InlineData("fc00::1", null, "fc00::1")]
    [InlineData("fc00::1", (ushort)8080, "[fc00::1]:8080")]
    public void A_backend_is_written_with_its_port_when_it_has_one(string address, ushort? port, string expected) =>
        Assert.Equal(expected, new BackendId(IPAddress.Parse(address), port).ToString());

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", null)]
    [InlineData("10.0.0.1:8080", "10.0.0.1", "8080")]
    [InlineData("10.0.0.1:", "10.0.0.1", "")]
    [InlineData("fc00::1", "fc00::1", null)]
    [InlineData("[fc00::1]", "fc00::1", null)]
    [InlineData("[fc00::1]:8080", "fc00::1", "8080")]
    [InlineData("[fc00::1]x", "[fc00::1]x", null)]
    public void A_name_splits_into_address_and_port(string text, string address, string? port) =>
        Assert.Equal((address, port), BackendId.Split(text));

    [Fact]
    public void Ids_are_equal_by_address_and_port()
    {
        var a = new BackendId(IPAddress.Parse("10.0.0.1"), 8080);
        Assert.Equal(a, new BackendId(IPAddress.Parse("10.0.0.1"), 8080));
        Assert.NotEqual(a, new BackendId(IPAddress.Parse("10.0.0.1"), 8081));
        Assert.NotEqual(a, new BackendId(IPAddress.Parse("10.0.0.1"), null));
        Assert.Equal(a, new BackendConfig { Address = IPAddress.Parse("10.0.0.1"), Port = 8080 }.Id);
    }

    [Theory]
    [InlineData("10.0.0.1", null, "10.0.0.1", "/backends/10.0.0.1/weight")]
    [InlineData("10.0.0.1:8080", null, "10.0.0.1:8080", "/backends/10.0.0.1/weight?port=8080")]
    [InlineData("10.0.0.1", (ushort)8080, "10.0.0.1:8080", "/backends/10.0.0.1/weight?port=8080")]
    [InlineData("10.0.0.1:8080", (ushort)8080, "10.0.0.1:8080", "/backends/10.0.0.1/weight?port=8080")]
    [InlineData("[fc00::1]:8080", null, "[fc00::1]:8080", "/backends/fc00%3A%3A1/weight?port=8080")]
    [InlineData("fc00::1", null, "fc00::1", "/backends/fc00%3A%3A1/weight")]
    public void The_command_line_takes_address_colon_port_or_port_option(string text, ushort? option, string name, string path)
    {
        BackendArgument backend = BackendArgument.Parse(text, option);
        VipArgument vip = VipArgument.Parse("10.100.0.1:80/tcp");

        Assert.Equal(name, backend.ToString());
        Assert.Equal("/vips/10.100.0.1/80/tcp" + path, backend.PathUnder(vip, "/weight"));
    }

    [Theory]
    [InlineData("10.0.0.1:8080", (ushort)8081, "10.0.0.1:8080 and --port 8081 give two ports; give the port once")]
    [InlineData("10.0.0.1:http", null, "'10.0.0.1:http' is not ADDRESS or ADDRESS:PORT ([ADDRESS]:PORT for IPv6): port 'http' is not a number from 1 to 65535")]
    [InlineData("10.0.0.1:65536", null, "'10.0.0.1:65536' is not ADDRESS or ADDRESS:PORT ([ADDRESS]:PORT for IPv6): port '65536' is not a number from 1 to 65535")]
    public void A_bad_command_line_port_is_refused(string text, ushort? option, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => BackendArgument.Parse(text, option)).Message);
}
