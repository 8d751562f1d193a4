using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// One named case of the load-balancing stage, as Katran's testing fixtures have them: the frame as it
/// arrives, the verdict, the frame transmitted (null for a drop) and what the counters gain. Expected
/// outputs are built by test code alone, the backend from the flow hash and the VIP's Maglev table.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed record PacketFixture(string Name, FixtureConfig Config, byte[] Input, DropReason Verdict, byte[]? Output, CounterDeltas Counters)
{
    /// <summary>The output keeps the input's link padding (dsr-l2 leaves the frame's length alone).</summary>
    public bool OutputPadded { get; init; }

    /// <summary>For an ICMP error about a flow: a packet the client sends in that flow. It must reach the backend the error reaches.</summary>
    public byte[]? OwnerFlow { get; init; }

    public override string ToString() => Name;
}
