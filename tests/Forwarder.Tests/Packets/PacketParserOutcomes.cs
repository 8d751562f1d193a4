using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>The verdicts <c>PacketParser.Parse</c> can give: "parsed" and its drop reasons.</summary>
[SupportedOSPlatform("linux")]
internal static class PacketParserOutcomes
{
    public static readonly DropReason[] Verdicts =
    [
        DropReason.None,
        DropReason.FrameTooShort,
        DropReason.Truncated,
        DropReason.UnsupportedL3,
        DropReason.BadIpHeader,
        DropReason.IpFragment,
        DropReason.UnsupportedL4,
        DropReason.BadL4Header,
        DropReason.IcmpUnsupported,
    ];
}
