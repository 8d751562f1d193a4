using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.Packets;
using static Forwarder.IntegrationTests.Decap.DecapTopology;

namespace Forwarder.IntegrationTests.Decap;

/// <summary>
/// A TCP handshake whose client half arrives encapsulated: the backend answers the client directly
/// (DSR), and the listener accepts the connection once the encapsulated ACK arrives.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DecapTcpTests
{
    private const int VipPort = 7000;
    private const int ClientPort = 43000;
    private const uint ClientSequence = 1_000_000;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void A_handshake_through_ipip_reaches_the_listener() =>
        AssertHandshake(Client, Vip, inner => FrameBuilder.Ip(OuterSource, BackendAddress).Ipip(inner).BuildIpPacket());

    [RootFact]
    public void A_handshake_through_gue_over_ipv6_reaches_the_listener() =>
        AssertHandshake(Client6, Vip6, inner => FrameBuilder.Ip(OuterSource6, BackendAddress6).Gue(40001, 6080, inner).BuildIpPacket());

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

        wire.Send(Frame(topology, encapsulate(TcpPacket(clientEndpoint, vipEndpoint, TcpFlags.Syn, ClientSequence, 0))));
        byte[]? synAck = wire.ReceiveFirst(frame => IsSynAck(frame, vipEndpoint, clientEndpoint), ReplyTimeout);
        Assert.True(synAck is not null, $"no SYN-ACK from {vipEndpoint} to {clientEndpoint}.\n{DecapCli.Status(topology.Backend, BackendDevice)}");

        uint serverSequence = BinaryPrimitives.ReadUInt32BigEndian(TcpHeader(synAck).Slice(4));
        wire.Send(Frame(topology, encapsulate(TcpPacket(
            clientEndpoint, vipEndpoint, TcpFlags.Ack, ClientSequence + 1, serverSequence + 1))));

        Assert.True(listener.Poll(ReplyTimeout, SelectMode.SelectRead),
            $"the listener accepted no connection.\n{DecapCli.Status(topology.Backend, BackendDevice)}");
        using Socket accepted = listener.Accept();
        Assert.Equal(clientEndpoint, accepted.RemoteEndPoint);
    }

    private static byte[] Frame(DecapTopology topology, byte[] ipPacket) => FrameBuilder.Ethernet(topology.BackendMac, topology.LbMac, ipPacket);

    /// <summary>A TCP segment without payload inside its IP packet, as the client sends it.</summary>
    private static byte[] TcpPacket(IPEndPoint source, IPEndPoint destination, TcpFlags flags, uint sequence, uint acknowledgment) =>
        FrameBuilder.Ip(source.Address, destination.Address)
            .Tcp((ushort)source.Port, (ushort)destination.Port, flags, sequence: sequence, acknowledgment: acknowledgment, window: 64240)
            .BuildIpPacket();

    private static bool IsSynAck(byte[] frame, IPEndPoint from, IPEndPoint to)
    {
        ReadOnlySpan<byte> ip = frame.AsSpan(14);
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        bool v4 = etherType == EtherType.Ipv4 && ip.Length >= 40 && ip[9] == IpProtocol.Tcp
            && new IPAddress(ip.Slice(12, 4)).Equals(from.Address) && new IPAddress(ip.Slice(16, 4)).Equals(to.Address);
        bool v6 = etherType == EtherType.Ipv6 && ip.Length >= 60 && ip[6] == IpProtocol.Tcp
            && new IPAddress(ip.Slice(8, 16)).Equals(from.Address) && new IPAddress(ip.Slice(24, 16)).Equals(to.Address);
        if (!v4 && !v6)
            return false;
        ReadOnlySpan<byte> tcp = TcpHeader(frame);
        return BinaryPrimitives.ReadUInt16BigEndian(tcp) == from.Port && BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]) == to.Port
            && tcp[13] == (byte)(TcpFlags.Syn | TcpFlags.Ack)
            && BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]) == ClientSequence + 1;
    }

    private static ReadOnlySpan<byte> TcpHeader(byte[] frame)
    {
        ReadOnlySpan<byte> ip = frame.AsSpan(14);
        return (ip[0] >> 4) == 4 ? ip[((ip[0] & 0x0F) * 4)..] : ip[40..];
    }
}
