using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// The ICMP answer to a packet too big to forward, built in test code: back to the sender (MACs swapped,
/// tag kept), from the address it was sent to; IPv4: ToS 0xC0, no DF, TTL 64, type 3 code 4 with the
/// next-hop MTU, quoting at most 548 bytes (576 in all); IPv6: hop limit 64, type 2 with the MTU,
/// quoting at most 1232 bytes (1280 in all).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ExpectedIcmpTooBig
{
    public static byte[] Answer(byte[] received, int mtu)
    {
        var view = new FrameView(received);
        byte[] packet = view.IpPacket;
        bool v4 = view.Version == IpVersion.V4;
        byte[] quote = packet[..Math.Min(packet.Length, v4 ? 576 - 28 : 1280 - 48)];
        var icmp = new byte[8 + quote.Length];
        quote.CopyTo(icmp, 8);
        byte[] sender = v4 ? packet[12..16] : packet[8..24], receiver = v4 ? packet[16..20] : packet[24..40];
        byte[] ip;
        if (v4)
        {
            icmp[0] = 3;
            icmp[1] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(6), (ushort)mtu);
            BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), ReferenceChecksum.Compute(icmp));
            ip = ExpectedHeaders.Ipv4(0xC0, 20 + icmp.Length, false, 64, 1, receiver, sender);
        }
        else
        {
            icmp[0] = 2;
            BinaryPrimitives.WriteUInt32BigEndian(icmp.AsSpan(4), (uint)mtu);
            BinaryPrimitives.WriteUInt16BigEndian(icmp.AsSpan(2), ReferenceChecksum.TransportV6(receiver, sender, 58, icmp));
            ip = ExpectedHeaders.Ipv6(0, icmp.Length, 58, 64, receiver, sender);
        }
        byte[] ethernet = ExpectedHeaders.Ethernet(received[6..12], received[..6], view.Tag, v4 ? (ushort)0x0800 : (ushort)0x86DD);
        return [.. ethernet, .. ip, .. icmp];
    }
}
