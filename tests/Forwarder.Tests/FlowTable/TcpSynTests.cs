using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Tests.FlowTable;

[SupportedOSPlatform("linux")]
public sealed class TcpSynTests
{
    [Theory]
    [InlineData(PacketKind.Flow, IpProtocol.Tcp, TcpFlags.Syn, true)]
    [InlineData(PacketKind.Flow, IpProtocol.Tcp, TcpFlags.Syn | TcpFlags.Ece | TcpFlags.Cwr, true)]
    [InlineData(PacketKind.Flow, IpProtocol.Tcp, TcpFlags.Syn | TcpFlags.Ack, false)]
    [InlineData(PacketKind.Flow, IpProtocol.Tcp, TcpFlags.Ack, false)]
    [InlineData(PacketKind.Flow, IpProtocol.Tcp, TcpFlags.Rst, false)]
    [InlineData(PacketKind.Flow, IpProtocol.Udp, TcpFlags.None, false)]
    [InlineData(PacketKind.IcmpError, IpProtocol.Tcp, TcpFlags.None, false)]
    public void Only_a_clients_syn_starts_a_connection(PacketKind kind, byte protocol, TcpFlags flags, bool starts)
    {
        var packet = new ParsedPacket { Kind = kind, Protocol = protocol, TcpFlags = flags, Version = IpVersion.V4 };
        Assert.Equal(starts, TcpSyn.StartsConnection(packet));
    }
}
