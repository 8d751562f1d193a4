using System.Runtime.Versioning;
using Forwarder.Packets;
using Forwarder.Tests.Packets;
using Forwarder.Tests.Rewrite;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// An ICMP / ICMPv6 error quoting the first <see cref="QuoteBytes"/> bytes of a packet of shape
/// <see cref="Quoted"/>, buildable between any endpoints: a nat fixture builds the error as received and,
/// separately, the error the rewrite must turn it into, every checksum computed from scratch.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed record IcmpErrorShape(FlowShape Quoted, int QuoteBytes, byte Type, byte Code, uint Rest = 0)
{
    /// <summary>The error's own VLAN tag (0: none).</summary>
    public ushort Tci { get; init; }

    /// <summary>IPv4 options on the error's own header, in 4-byte words.</summary>
    public int OptionWords { get; init; }

    /// <summary>Link padding after the error as received.</summary>
    public int Padding { get; init; }

    public IpVersion Version => Quoted.Version;

    /// <summary>The error <paramref name="sender"/> → <paramref name="receiver"/> quoting quotedSource:quotedSourcePort → quotedDestination:quotedDestinationPort.</summary>
    public byte[] Build(string sender, string receiver, string quotedSource, ushort quotedSourcePort, string quotedDestination, ushort quotedDestinationPort,
        bool padded)
    {
        byte[] packet = Quoted.BuildIpPacket(quotedSource, quotedDestination, quotedSourcePort, quotedDestinationPort);
        byte[] quote = packet[..Math.Min(QuoteBytes, packet.Length)];
        FrameBuilder builder = Version == IpVersion.V4
            ? FrameBuilder.Ipv4(sender, receiver).Ipv4Options(OptionWords)
            : FrameBuilder.Ipv6(sender, receiver);
        if (Tci != 0)
            builder.Vlan(Tci);
        builder = Version == IpVersion.V4 ? builder.Icmp(Type, Code, quote, Rest) : builder.Icmpv6(Type, Code, quote, Rest);
        return builder.Padding(padded ? Padding : 0).Build();
    }
}
