using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>Every row of the fixture table: the verdict, and for parsed frames every field.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class PacketParserFixtureTests : IDisposable
{
    private readonly GuardedBuffer _buffer = new(16 * 1024);

    public static TheoryData<string> Fixtures() => ParserFixtures.Names();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_parser_gives_the_expected_verdict_and_fields(string name)
    {
        ParserFixture fixture = ParserFixtures.Get(name);

        DropReason verdict = PacketParser.Parse(fixture.Frame, out ParsedPacket packet);

        Assert.Equal(fixture.Verdict, verdict);
        if (verdict == DropReason.None)
            Assert.Equal(ParsedPacketText.Describe(fixture.Expected!.Value), ParsedPacketText.Describe(packet));
        else
            Assert.Equal(PacketKind.None, packet.Kind);
        Assert.Equal(verdict == DropReason.IpFragment, packet.Fragment);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_frame_against_a_guard_page_parses_the_same(string name)
    {
        ParserFixture fixture = ParserFixtures.Get(name);
        DropReason expected = PacketParser.Parse(fixture.Frame, out ParsedPacket expectedPacket);

        DropReason atEnd = PacketParser.Parse(_buffer.PlaceAtEnd(fixture.Frame), (uint)fixture.Frame.Length, out ParsedPacket endPacket);
        DropReason atStart = PacketParser.Parse(_buffer.PlaceAtStart(fixture.Frame), (uint)fixture.Frame.Length, out ParsedPacket startPacket);

        Assert.Equal(expected, atEnd);
        Assert.Equal(expected, atStart);
        Assert.Equal(ParsedPacketText.Describe(expectedPacket), ParsedPacketText.Describe(endPacket));
        Assert.Equal(ParsedPacketText.Describe(expectedPacket), ParsedPacketText.Describe(startPacket));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_reference_parser_agrees(string name)
    {
        ParserFixture fixture = ParserFixtures.Get(name);

        var (verdict, packet) = ReferenceParser.Parse(fixture.Frame);

        Assert.Equal(fixture.Verdict, verdict);
        if (verdict == DropReason.None)
            Assert.Equal(ParsedPacketText.Describe(fixture.Expected!.Value), ParsedPacketText.Describe(packet));
    }

    [Fact]
    public void The_table_covers_every_verdict_the_parser_can_give_and_every_kind()
    {
        var verdicts = ParserFixtures.All.Select(f => f.Verdict).ToHashSet();
        var kinds = ParserFixtures.All.Where(f => f.Expected is not null).Select(f => f.Expected!.Value.Kind).ToHashSet();

        foreach (DropReason reason in PacketParserOutcomes.Verdicts)
            Assert.Contains(reason, verdicts);
        Assert.Equal([PacketKind.Flow, PacketKind.IcmpError, PacketKind.EchoRequest], kinds.Order());
    }

    [Fact]
    public void Every_built_checksum_in_the_table_verifies()
    {
        foreach (ParserFixture fixture in ParserFixtures.All.Where(f => f.Verdict == DropReason.None))
        {
            ParsedPacket p = fixture.Expected!.Value;
            ReadOnlySpan<byte> ip = fixture.Frame.AsSpan(p.L3Offset, p.IpTotalLength);
            ReadOnlySpan<byte> transport = fixture.Frame.AsSpan(p.L4Offset, p.IpEnd - p.L4Offset);
            if (p.Version == IpVersion.V4)
            {
                Assert.True(Checksum.IsValid(ip[..(p.L4Offset - p.L3Offset)]), fixture.Name);
                bool valid = p.Kind == PacketKind.Flow
                    ? ChecksumPseudoHeader.IsValidV4(p.Source.V4, p.Destination.V4, p.Protocol, transport)
                    : Checksum.IsValid(transport);
                Assert.True(valid, fixture.Name);
            }
            else
            {
                // An ICMP error's flow fields come from its quote: the pseudo-header takes the outer addresses.
                WireAddress source = WireAddress.FromBytes(ip.Slice(8, 16)), destination = WireAddress.FromBytes(ip.Slice(24, 16));
                byte nextHeader = p.Kind == PacketKind.Flow ? p.Protocol : IpProtocol.Icmpv6;
                Assert.True(ChecksumPseudoHeader.IsValidV6(source, destination, nextHeader, transport), fixture.Name);
            }
        }
    }

    public void Dispose() => _buffer.Dispose();
}
