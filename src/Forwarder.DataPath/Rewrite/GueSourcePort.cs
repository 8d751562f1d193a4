using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.Rewrite;

/// <summary>
/// Katran's outer UDP source port for GUE (<c>gue_encap_v4</c>, <c>gue_encap_v6</c> in <c>pckt_encap.h</c>):
/// derived from the client's address and port, like the IP-in-IP outer source, so one flow keeps one
/// outer 5-tuple and the backend's NIC spreads flows over its receive queues.
///
/// Katran works on little-endian loads and stores the result without a byte swap. As read on the wire,
/// with the client port's high byte <c>hi</c> and low byte <c>lo</c> (host order value hi·256 + lo) and
/// a.b.c.d the client's IPv4 address, or the last 4 bytes of its IPv6 address:
/// <list type="bullet">
/// <item>IPv4 outer: <c>((c ^ lo) &lt;&lt; 8) | (d ^ hi)</c>; Katran's fixture 192.168.1.1:31337 gives 26747.</item>
/// <item>IPv6 outer, IPv6 client: <c>port ^ ((a &lt;&lt; 8) | b)</c>, i.e. bytes 12–13 of the client address;
/// fc00:2::1 port 31337 gives 31337.</item>
/// <item>IPv6 outer, IPv4 client: <c>port ^ ((c &lt;&lt; 8) | d)</c>; 192.168.1.1:31337 gives 31592.</item>
/// </list>
/// The port is the one <see cref="EncapsulationPort"/> gives (0 under "no source port").
/// </summary>
internal static class GueSourcePort
{
    /// <summary>The outer UDP source port, host order, for an outer header of <paramref name="outerVersion"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Of(in ParsedPacket packet, ushort clientPort, IpVersion outerVersion)
    {
        uint client = EncapsulationSource.ClientTail(packet); // a.b.c.d as a number, a in the top byte
        if (outerVersion == IpVersion.V4)
            return (ushort)(client ^ BinaryPrimitives.ReverseEndianness(clientPort)); // (c ^ lo).(d ^ hi)
        return packet.Version == IpVersion.V6
            ? (ushort)(clientPort ^ (client >> 16))  // (hi ^ a).(lo ^ b)
            : (ushort)(clientPort ^ client);         // (hi ^ c).(lo ^ d)
    }
}
