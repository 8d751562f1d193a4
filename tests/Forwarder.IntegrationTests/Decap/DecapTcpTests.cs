using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Forwarder.IntegrationTests.Infrastructure;
using static Forwarder.IntegrationTests.Decap.DecapTopology;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// A TCP handshake whose client half arrives encapsulated: the backend answers the client directly
/// (DSR), and the listener accepts the connection once the encapsulated ACK arrives.
/// </summary>
public sealed class DecapTcpTests
{
    private const int VipPort = 7000;
    private const int ClientPort = 43000;
    private const uint ClientSequence = 1_000_000;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void A_handshake_through_ipip_reaches_the_listener() =>
        AssertHandshake(Client, Vip, inner => PacketBuilder.Ipip(OuterSource, BackendAddress, inner));

    [RootFact]
    public void A_handshake_through_gue_over_ipv6_reaches_the_listener() =>
        AssertHandshake(Client6, Vip6, inner => PacketBuilder.Gue(new IPEndPoint(OuterSource6, 40001), new IPEndPoint(BackendAddress6, 6080), inner));

    private static void AssertHandshake(IPAddress client, IPAddress vip, Func<byte[], byte[]> encapsulate)
    {
        using DecapTopology topology = Create();
        DecapCli.Check(topology.Backend, "attach", "--iface", BackendDevice);
        var vipEndpoint = new IPEndPoint(vip, VipPort);
        var clientEndpoint = new IPEndPoint(client, ClientPort);
        using Socket listener = topology.Backend.RunInside(() =>
        {
            var s = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(vipEndpoint);
            s.Listen(4);
            return s;
        });
        using PacketSocket wire = PacketSocket.Open(topology.Lb, LbDevice);

        wire.Send(Frame(topology, encapsulate(PacketBuilder.TcpPacket(clientEndpoint, vipEndpoint, ClientSequence, 0, PacketBuilder.TcpSyn))));
        byte[]? synAck = wire.ReceiveFirst(frame => IsSynAck(frame, vipEndpoint, clientEndpoint), ReplyTimeout);
        Assert.True(synAck is not null, $"no SYN-ACK from {vipEndpoint} to {clientEndpoint}.\n{DecapCli.Status(topology.Backend, BackendDevice)}");

        uint serverSequence = BinaryPrimitives.ReadUInt32BigEndian(TcpHeader(synAck).Slice(4));
        wire.Send(Frame(topology, encapsulate(PacketBuilder.TcpPacket(
            clientEndpoint, vipEndpoint, ClientSequence + 1, serverSequence + 1, PacketBuilder.TcpAck))));

        Assert.True(listener.Poll(ReplyTimeout, SelectMode.SelectRead),
            $"the listener accepted no connection.\n{DecapCli.Status(topology.Backend, BackendDevice)}");
        using Socket accepted = listener.Accept();
        Assert.Equal(clientEndpoint, accepted.RemoteEndPoint);
    }

    private static byte[] Frame(DecapTopology topology, byte[] ipPacket) => PacketBuilder.Ethernet(topology.BackendMac, topology.LbMac, ipPacket);

    private static bool IsSynAck(byte[] frame, IPEndPoint from, IPEndPoint to)
    {
        ReadOnlySpan<byte> ip = frame.AsSpan(14);
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        bool v4 = etherType == PacketBuilder.EtherTypeIpv4 && ip.Length >= 40 && ip[9] == PacketBuilder.ProtocolTcp
            && new IPAddress(ip.Slice(12, 4)).Equals(from.Address) && new IPAddress(ip.Slice(16, 4)).Equals(to.Address);
        bool v6 = etherType == PacketBuilder.EtherTypeIpv6 && ip.Length >= 60 && ip[6] == PacketBuilder.ProtocolTcp
            && new IPAddress(ip.Slice(8, 16)).Equals(from.Address) && new IPAddress(ip.Slice(24, 16)).Equals(to.Address);
        if (!v4 && !v6)
            return false;
        ReadOnlySpan<byte> tcp = TcpHeader(frame);
        return BinaryPrimitives.ReadUInt16BigEndian(tcp) == from.Port && BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]) == to.Port
            && tcp[13] == (PacketBuilder.TcpSyn | PacketBuilder.TcpAck)
            && BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]) == ClientSequence + 1;
    }

    private static ReadOnlySpan<byte> TcpHeader(byte[] frame)
    {
        ReadOnlySpan<byte> ip = frame.AsSpan(14);
        return (ip[0] >> 4) == 4 ? ip[((ip[0] & 0x0F) * 4)..] : ip[40..];
    }
}
