using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>One table row: a frame, the verdict the parser must give, and for parsed frames every field it must report.</summary>
[SupportedOSPlatform("linux")]
internal sealed record ParserFixture(string Name, byte[] Frame, DropReason Verdict, ParsedPacket? Expected)
{
    /// <summary>Parsed, and nothing follows the IP packet: cutting off any byte must make the frame Truncated.</summary>
    public bool EndsWithIpPacket => Verdict == DropReason.None && Expected!.Value.IpEnd == Frame.Length;

    public override string ToString() => Name;
}
