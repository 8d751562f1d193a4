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
        Assert.Equal(FlowHash.PortsWord(80, 80), FlowHash.ApplyOptions(ports, FlowHashOptions.DestinationPortOnly));
        Assert.Equal(FlowHash.PortsWord(80, 80), FlowHash.ApplyOptions(ports, FlowHashOptions.DestinationPortOnly | FlowHashOptions.ZeroSourcePort));
    }

    [Fact]
    public void Destination_port_only_hashes_a_zero_source_address()
    {
        Assert.Equal(0u, FlowHash.ApplyOptions(0x0101A8C0u, ipv6: false, FlowHashOptions.DestinationPortOnly));
        Assert.Equal(FlowHash.SourceWordV6(new byte[16]), FlowHash.ApplyOptions(0x12345678u, ipv6: true, FlowHashOptions.DestinationPortOnly));
        Assert.Equal(0x0101A8C0u, FlowHash.ApplyOptions(0x0101A8C0u, ipv6: false, FlowHashOptions.ZeroSourcePort | FlowHashOptions.ZeroDestinationPort));
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

    [Theory]
    [InlineData(65537, 33554944u)]
    [InlineData(655373, 335550976u)]
    [InlineData(1009, 516608u)]
    [InlineData(13, 6656u)]
    public void The_seed_is_katrans_max_vips_times_the_ring_size(int ringSize, uint expected)
    {
        Assert.Equal(expected, FlowHash.SeedFor(ringSize));
        Assert.Equal(512u * (uint)ringSize, FlowHash.SeedFor(ringSize));
    }

    [Fact]
    public void The_default_seed_is_the_seed_of_the_default_ring() =>
        Assert.Equal(FlowHash.Seed, FlowHash.SeedFor(Forwarder.Maglev.MaglevRingSize.Default));

    [Fact]
    public void The_reference_reproduces_katrans_and_the_kernels_values()
    {
        Assert.Equal(0xc7e68632u, ReferenceFlowHash.Of(Client, 31337, 80, 65537));
        Assert.Equal(0x3468e5dbu, ReferenceFlowHash.Of(IPAddress.Parse("fc00::1").GetAddressBytes(), 31337, 80, 65537));
        Assert.Equal(0xbae949bau, ReferenceFlowHash.Of(IPAddress.Parse("2001:db8:85a3::8a2e:370:7334").GetAddressBytes(), 31337, 80, 65537));
    }

    /// <summary>Per ring size, the product's hash with <see cref="FlowHash.SeedFor"/> equals the reference seeded with 512 × ring size.</summary>
    [Theory]
    [InlineData(65537)]
    [InlineData(655373)]
    [InlineData(1009)]
    [InlineData(13)]
    public void Every_ring_size_hashes_with_its_own_seed_like_the_reference(int ringSize)
    {
        var random = new Random(ringSize);
        uint seed = FlowHash.SeedFor(ringSize);
        int differentFromDefault = 0;
        for (int n = 0; n < 1000; n++)
        {
            byte[] address = new byte[n % 2 == 0 ? 4 : 16];
            random.NextBytes(address);
            ushort clientPort = (ushort)random.Next(0x10000), vipPort = (ushort)random.Next(0x10000);
            uint ports = FlowHash.PortsWord(clientPort, vipPort);
            uint hash = address.Length == 4 ? FlowHash.HashV4(FlowHash.SourceWordV4(address), ports, seed) : FlowHash.HashV6(address, ports, seed);
            Assert.Equal(ReferenceFlowHash.Of(address, clientPort, vipPort, ringSize), hash);
            if (hash != ReferenceFlowHash.Of(address, clientPort, vipPort, 65537))
                differentFromDefault++;
        }
        Assert.Equal(ringSize == 65537 ? 0 : 1000, differentFromDefault);
    }
}
