using System.Net;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// Katran's own test fixtures for <c>F_HASH_DPORT_ONLY</c> (<c>katran/lib/testing/fixtures/KatranBaseTestFixtures.h</c>,
/// "packet #1/#2 dst port hashing only"), provisioned as <c>KatranTestProvision.cpp</c> does: VIP 10.200.1.4, port 0,
/// tcp, reals 10.0.0.1–3 of weight 1, Katran's library default Maglev (v1) and ring. Two clients on different ports
/// reach 10.0.0.2, inside outer headers from source 172.16.105.122 and 172.16.57.5 (derived from address 0 and the
/// client port). Fixture #1 of the same file (10.200.1.1:80 udp → 10.0.0.3, outer 172.16.104.123) checks the provisioning.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class KatranDportOnlyFixtureTests
{
    private static readonly string Config = ConfigBuilder.WithoutVips()
        .Vip("10.200.1.1", 80, "udp", v => v.Maglev(version: "v1").Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
        .Vip("10.200.1.4", protocol: "tcp", configure: v => v.Flags("dport_only").Maglev(version: "v1").Backends("10.0.0.1", "10.0.0.2", "10.0.0.3"))
        .ToYaml();

    [Theory]
    [InlineData("192.168.1.1", 31337, "10.200.1.1", 80, false, "172.16.104.123", "10.0.0.3")] // fixture 1
    [InlineData("192.168.1.1", 31337, "10.200.1.4", 42, true, "172.16.105.122", "10.0.0.2")]  // fixture 19
    [InlineData("192.168.1.100", 1337, "10.200.1.4", 42, true, "172.16.57.5", "10.0.0.2")]    // fixture 20
    public void Katrans_expected_output(string client, ushort clientPort, string vip, ushort vipPort, bool tcp, string outerSource, string backend)
    {
        using var bed = new LoadBalancerBed(Config);
        FrameBuilder frame = FrameBuilder.Ipv4(client, vip);
        ProcessedFrame result = bed.Run((tcp ? frame.Tcp(clientPort, vipPort) : frame.Udp(clientPort, vipPort)).Build());

        Assert.Equal(DropReason.None, result.Verdict);
        byte[] output = result.Output!;
        Assert.Equal(IPAddress.Parse(outerSource), new IPAddress(output.AsSpan(14 + 12, 4)));
        Assert.Equal(IPAddress.Parse(backend), new IPAddress(output.AsSpan(14 + 16, 4)));
    }
}
