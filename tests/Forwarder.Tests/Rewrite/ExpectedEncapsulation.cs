using System.Buffers.Binary;
using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>
/// The frame an encapsulation must produce from a received frame, built in test code: Ethernet (next
/// hop MACs, the received tag, the outer family), outer IP (TTL 64, ToS copied, ID 0, DF when the
/// inner IPv4 had it or the inner is IPv6), for GUE a UDP header, then the received IP packet unchanged.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ExpectedEncapsulation
{
    public static byte[] Ipip(byte[] received, string client, ushort clientPort, string backend)
    {
        var view = new FrameView(received);
        byte[] inner = view.IpPacket;
        byte protocol = (byte)(view.Version == IpVersion.V4 ? 4 : 41);
        byte[] outer = FrameView.VersionOf(backend) == IpVersion.V4
            ? ExpectedHeaders.Ipv4(view.TrafficClass, 20 + inner.Length, OuterDontFragment(view), 64, protocol,
                ExpectedHeaders.KatranSourceV4(client, clientPort), ExpectedHeaders.Bytes(backend))
            : ExpectedHeaders.Ipv6(view.TrafficClass, inner.Length, protocol, 64,
                ExpectedHeaders.KatranSourceV6(client, clientPort), ExpectedHeaders.Bytes(backend));
        return [.. Ethernet(view, backend), .. outer, .. inner];
    }

    /// <summary>GUE from <paramref name="outerSource"/> to <paramref name="backend"/>:<paramref name="port"/>, the UDP source port Katran's for <paramref name="client"/>:<paramref name="clientPort"/>.</summary>
    public static byte[] Gue(byte[] received, string client, ushort clientPort, string outerSource, string backend, ushort port)
    {
        var view = new FrameView(received);
        byte[] inner = view.IpPacket;
        var udp = new byte[8 + inner.Length];
        ExpectedHeaders.KatranGuePort(client, clientPort, FrameView.VersionOf(backend) == IpVersion.V4).CopyTo(udp, 0);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        inner.CopyTo(udp, 8);
        byte[] source = ExpectedHeaders.Bytes(outerSource), destination = ExpectedHeaders.Bytes(backend);
        byte[] outer;
        if (FrameView.VersionOf(backend) == IpVersion.V4)
        {
            outer = ExpectedHeaders.Ipv4(view.TrafficClass, 20 + udp.Length, OuterDontFragment(view), 64, 17, source, destination);
        }
        else
        {
            outer = ExpectedHeaders.Ipv6(view.TrafficClass, udp.Length, 17, 64, source, destination);
            ushort checksum = ReferenceChecksum.TransportV6(source, destination, 17, udp);
            BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), checksum == 0 ? (ushort)0xFFFF : checksum);
        }
        return [.. Ethernet(view, backend), .. outer, .. udp];
    }

    private static bool OuterDontFragment(FrameView inner) => inner.Version == IpVersion.V6 || inner.DontFragment;

    private static byte[] Ethernet(FrameView view, string backend) =>
        ExpectedHeaders.Ethernet(TestMacs.NextHop, TestMacs.Own, view.Tag, FrameView.VersionOf(backend) == IpVersion.V4 ? (ushort)0x0800 : (ushort)0x86DD);
}
