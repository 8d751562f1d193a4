using System.Buffers.Binary;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Rewrite;

/// <summary>A test's plain reading of a well-formed frame: its VLAN tag, its IP packet (padding excluded) and a few IP fields.</summary>
[SupportedOSPlatform("linux")]
internal readonly record struct FrameView(byte[] Frame)
{
    public bool Tagged => BinaryPrimitives.ReadUInt16BigEndian(Frame.AsSpan(12)) is 0x8100 or 0x88A8;

    public (ushort Tpid, ushort Tci)? Tag => Tagged
        ? (BinaryPrimitives.ReadUInt16BigEndian(Frame.AsSpan(12)), BinaryPrimitives.ReadUInt16BigEndian(Frame.AsSpan(14)))
        : null;

    public int L3 => Tagged ? 18 : 14;

    public IpVersion Version => Frame[L3] >> 4 == 4 ? IpVersion.V4 : IpVersion.V6;

    public int IpLength => Version == IpVersion.V4
        ? BinaryPrimitives.ReadUInt16BigEndian(Frame.AsSpan(L3 + 2))
        : 40 + BinaryPrimitives.ReadUInt16BigEndian(Frame.AsSpan(L3 + 4));

    public byte[] IpPacket => Frame.AsSpan(L3, IpLength).ToArray();

    /// <summary>IPv4 ToS or IPv6 traffic class.</summary>
    public byte TrafficClass => Version == IpVersion.V4 ? Frame[L3 + 1] : (byte)(Frame[L3] << 4 | Frame[L3 + 1] >> 4);

    public bool DontFragment => Version == IpVersion.V4 && (Frame[L3 + 6] & 0x40) != 0;

    public static IpVersion VersionOf(string address) =>
        IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IpVersion.V4 : IpVersion.V6;
}
