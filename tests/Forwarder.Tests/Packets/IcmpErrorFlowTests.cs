using System.Net;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>
/// An ICMP error about a flow hashes like the client's own packets of that flow, as in Katran: the
/// quoted packet went VIP → client, and the parser turns it back into client → VIP.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class IcmpErrorFlowTests
{
    [Fact]
    public void The_reference_flow_and_an_error_about_it_both_hash_to_katrans_value()
    {
        // DESIGN.md: flow 192.168.1.1:31337 → port 80 hashes to 0xc7e68632.
        byte[] client = FrameBuilder.Ipv4("192.168.1.1", "10.0.0.100").Tcp(31337, 80, TcpFlags.Syn).Build();
        byte[] quote = FrameBuilder.Ipv4("10.0.0.100", "192.168.1.1").Tcp(80, 31337).BuildIpPacket()[..28];
        byte[] error = FrameBuilder.Ipv4("198.51.100.1", "10.0.0.100").Icmp(3, 4, quote, rest: 1400).Build();

        Assert.Equal(DropReason.None, PacketParser.Parse(client, out ParsedPacket flow));
        Assert.Equal(DropReason.None, PacketParser.Parse(error, out ParsedPacket icmp));

        Assert.Equal(0xc7e68632u, FlowHash.HashV4(flow.FlowSourceWord(), flow.PortsWord));
        Assert.Equal(0xc7e68632u, FlowHash.HashV4(icmp.FlowSourceWord(), icmp.PortsWord));
        Assert.Equal(IPAddress.Parse("192.168.1.1"), icmp.Source.ToIPAddress(IpVersion.V4));
        Assert.Equal(IPAddress.Parse("10.0.0.100"), icmp.Destination.ToIPAddress(IpVersion.V4));
        Assert.Equal((31337, 80), (icmp.SourcePort, icmp.DestinationPort));
    }

    [Theory]
    [InlineData(IpProtocol.Tcp, false)]
    [InlineData(IpProtocol.Udp, false)]
    [InlineData(IpProtocol.Tcp, true)]
    [InlineData(IpProtocol.Udp, true)]
    public void Random_flows_and_errors_about_them_give_the_same_flow_fields(byte protocol, bool v6)
    {
        var random = new Random(protocol * 2 + (v6 ? 1 : 0));
        for (int i = 0; i < 2000; i++)
        {
            string client = RandomAddress(random, v6), vip = RandomAddress(random, v6), router = RandomAddress(random, v6);
            ushort clientPort = (ushort)random.Next(65536), vipPort = (ushort)random.Next(65536);

            byte[] forward = Build(client, vip, v6, b => Transport(b, protocol, clientPort, vipPort));
            byte[] quoted = Build(vip, client, v6, b => Transport(b, protocol, vipPort, clientPort), ipOnly: true);
            byte[] error = v6
                ? FrameBuilder.Ipv6(router, vip).Icmpv6((byte)random.Next(1, 3), 0, quoted[..random.Next(44, quoted.Length + 1)]).Build()
                : FrameBuilder.Ipv4(router, vip).Icmp(3, (byte)random.Next(16), quoted[..random.Next(24, quoted.Length + 1)]).Build();

            Assert.Equal(DropReason.None, PacketParser.Parse(forward, out ParsedPacket flow));
            Assert.Equal(DropReason.None, PacketParser.Parse(error, out ParsedPacket icmp));
            Assert.Equal(PacketKind.IcmpError, icmp.Kind);
            Assert.Equal(flow.Source, icmp.Source);
            Assert.Equal(flow.Destination, icmp.Destination);
            Assert.Equal(flow.Protocol, icmp.Protocol);
            Assert.Equal(flow.PortsWord, icmp.PortsWord);
            Assert.Equal(flow.FlowSourceWord(), icmp.FlowSourceWord());
        }
    }

    private static FrameBuilder Transport(FrameBuilder builder, byte protocol, ushort sourcePort, ushort destinationPort) =>
        protocol == IpProtocol.Tcp ? builder.Tcp(sourcePort, destinationPort) : builder.Udp(sourcePort, destinationPort);

    private static byte[] Build(string source, string destination, bool v6, Func<FrameBuilder, FrameBuilder> transport, bool ipOnly = false)
    {
        FrameBuilder builder = transport(v6 ? FrameBuilder.Ipv6(source, destination) : FrameBuilder.Ipv4(source, destination));
        return ipOnly ? builder.BuildIpPacket() : builder.Build();
    }

    private static string RandomAddress(Random random, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        random.NextBytes(bytes);
        return new IPAddress(bytes).ToString();
    }
}
