using System.Net;
using System.Runtime.Versioning;
using Forwarder.Hashing;

namespace Forwarder.Tests.Hashing;

/// <summary>The Katran flow hash; the IPv6 values come from the kernel's jhash.h compiled with gcc.</summary>
[SupportedOSPlatform("linux")]
public class FlowHashTests
{
    private static readonly byte[] Client = [192, 168, 1, 1];
    private static readonly byte[] Ports31337To80 = [0x7a, 0x69, 0x00, 0x50];

    [Fact]
    public void Ipv4_reference_flow()
    {
        uint hash = FlowHash.HashV4(FlowHash.SourceWordV4(Client), FlowHash.PortsWord(Ports31337To80));
        Assert.Equal(0xc7e68632u, hash);
        Assert.Equal(48717u, hash % 65537);
    }

    [Fact]
    public void Ports_word_from_numbers_equals_the_wire_load()
    {
        Assert.Equal(FlowHash.PortsWord(Ports31337To80), FlowHash.PortsWord(31337, 80));
        Assert.Equal(0x5000697au, FlowHash.PortsWord(31337, 80));
    }

    [Theory]
    [InlineData("fc00::1", 0x53e1b9e9u, 0x3468e5dbu)]
    [InlineData("2001:db8:85a3::8a2e:370:7334", 0x69b77558u, 0xbae949bau)]
    public void Ipv6_flows_match_the_kernel(string client, uint expectedSourceWord, uint expectedHash)
    {
        byte[] address = IPAddress.Parse(client).GetAddressBytes();
        Assert.Equal(expectedSourceWord, FlowHash.SourceWordV6(address));
        Assert.Equal(JenkinsHash.Hash(address, FlowHash.SeedV6), FlowHash.SourceWordV6(address));
        Assert.Equal(expectedHash, FlowHash.HashV6(address, FlowHash.PortsWord(31337, 80)));
    }

    [Fact]
    public void Options_zero_the_chosen_ports()
    {
        uint ports = FlowHash.PortsWord(31337, 80);
        Assert.Equal(ports, FlowHash.ApplyOptions(ports, FlowHashOptions.None));
        Assert.Equal(FlowHash.PortsWord(31337, 0), FlowHash.ApplyOptions(ports, FlowHashOptions.ZeroDestinationPort));
        Assert.Equal(FlowHash.PortsWord(0, 80), FlowHash.ApplyOptions(ports, FlowHashOptions.ZeroSourcePort));
        Assert.Equal(0u, FlowHash.ApplyOptions(ports, FlowHashOptions.ZeroSourcePort | FlowHashOptions.ZeroDestinationPort));
    }

    [Fact]
    public void Port_zero_vip_hash_ignores_the_destination_port()
    {
        uint source = FlowHash.SourceWordV4(Client);
        uint to80 = FlowHash.HashV4(source, FlowHash.ApplyOptions(FlowHash.PortsWord(31337, 80), FlowHashOptions.ZeroDestinationPort));
        uint to443 = FlowHash.HashV4(source, FlowHash.ApplyOptions(FlowHash.PortsWord(31337, 443), FlowHashOptions.ZeroDestinationPort));
        Assert.Equal(to80, to443);
        Assert.Equal(JenkinsHash.Hash2Words(0x0101a8c0, 0x0000697a, 33554944), to80);
    }
}
