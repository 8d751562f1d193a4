using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Stateless destination NAT: client → VIP becomes client → backend; backend → client replies become
/// VIP → client. Both directions also carry the ICMP errors of the flow: one a router sent the VIP
/// about a reply (quoting VIP → client) goes to the backend quoting backend → client; one the backend
/// sent about a packet it received (quoting client → backend) goes to the client quoting client → VIP.
/// Checksums are updated incrementally (<see cref="NatFlowRewrite"/>, <see cref="NatIcmpErrorRewrite"/>),
/// the TTL is left alone, the MACs come from <c>macs</c> and link padding is cut off.
/// </summary>
public static unsafe class NatRewrite
{
    private const int SourcePort = 0;
    private const int DestinationPort = 2;

    /// <summary>The destination VIP (and port, unless <paramref name="backendPort"/> is 0) becomes the backend's.</summary>
    public static DropReason ToBackend(PacketBatch batch, int i, in ParsedPacket packet, in WireAddress backend, ushort backendPort, in EthernetAddresses macs)
    {
        byte* frame = batch.Data(i);
        IpVersion version = packet.Version;
        if (packet.Kind == PacketKind.IcmpError)
        {
            NatIcmpErrorRewrite.Apply(frame, packet, IpHeaderFields.DestinationAddress(version), IpHeaderFields.SourceAddress(version),
                SourcePort, backend, backendPort);
        }
        else
        {
            NatFlowRewrite.Apply(frame, packet, IpHeaderFields.DestinationAddress(version), DestinationPort, backend, backendPort);
        }
        macs.Write(frame);
        batch.Length[i] = (uint)packet.IpEnd;
        return DropReason.None;
    }

    /// <summary>
    /// A backend's packet to a client: the source backend (and port, unless <paramref name="vipPort"/> is 0)
    /// becomes the VIP's. The parser reports such a reply as Source = backend, Destination = client.
    /// </summary>
    public static DropReason ToClient(PacketBatch batch, int i, in ParsedPacket packet, in WireAddress vip, ushort vipPort, in EthernetAddresses macs)
    {
        byte* frame = batch.Data(i);
        IpVersion version = packet.Version;
        if (packet.Kind == PacketKind.IcmpError)
        {
            NatIcmpErrorRewrite.Apply(frame, packet, IpHeaderFields.SourceAddress(version), IpHeaderFields.DestinationAddress(version),
                DestinationPort, vip, vipPort);
        }
        else
        {
            NatFlowRewrite.Apply(frame, packet, IpHeaderFields.SourceAddress(version), SourcePort, vip, vipPort);
        }
        macs.Write(frame);
        batch.Length[i] = (uint)packet.IpEnd;
        return DropReason.None;
    }
}
