using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Forwarder.Packets;

namespace Forwarder.Tests.Packets;

/// <summary>The parser's drop reasons have distinct metric names and a slot in the per-reason counters.</summary>
[SupportedOSPlatform("linux")]
public sealed class ParserDropReasonNameTests
{
    [Fact]
    public void Every_parser_verdict_has_its_own_snake_case_metric_name()
    {
        string[] names = PacketParserOutcomes.Verdicts.Select(DropReasons.Name).ToArray();

        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches(new Regex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$"), name));
        Assert.Equal(["none", "frame_too_short", "truncated", "unsupported_l3", "bad_ip_header", "ip_fragment", "unsupported_l4", "bad_l4_header", "icmp_unsupported"], names);
        Assert.All(PacketParserOutcomes.Verdicts, v => Assert.InRange((int)v, 0, DropReasons.Count - 1));
    }
}
