using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>Reads the IP destination of a frame as transmitted (the outer header of an encapsulated one).</summary>
internal static unsafe class CaptureFrames
{
    /// <summary>The frame's IP version and destination, or <see cref="IpVersion.None"/> when it holds no whole IP header.</summary>
    public static IpVersion Destination(byte* frame, uint length, out WireAddress destination)
    {
        destination = default;
        if (length < 14)
            return IpVersion.None;
        uint l3 = 14;
        ushort etherType = WireReader.ReadUInt16BigEndian(frame + 12);
        if (etherType is EtherType.Vlan or EtherType.ServiceVlan)
        {
            if (length < 18)
                return IpVersion.None;
            etherType = WireReader.ReadUInt16BigEndian(frame + 16);
            l3 = 18;
        }
        if (etherType == EtherType.Ipv4 && length >= l3 + 20)
        {
            destination = WireAddress.ReadV4(frame + l3 + 16);
            return IpVersion.V4;
        }
        if (etherType == EtherType.Ipv6 && length >= l3 + 40)
        {
            destination = WireAddress.ReadV6(frame + l3 + 24);
            return IpVersion.V6;
        }
        return IpVersion.None;
    }
}
