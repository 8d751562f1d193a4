using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Tests.LoadBalancing.Fixtures;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// A packet a VIP refuses by its <c>allowed_sources</c> is counted under that VIP (<see cref="LoadBalancerCounters.VipSourceNotAllowed"/>),
/// in both families, an ICMP error about a refused client's flow included; an open VIP and an allowed client count nothing there.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SourceNotAllowedCountTests
{
    private const int Web = 0, Mail = 1, Web6 = 2, Open = 3;

    private static readonly string Yaml = ConfigBuilder.WithoutVips()
        .Vip("10.100.0.1", 80, "tcp", v => v.AllowedSources("192.168.0.0/16").Backends("10.0.0.1", "10.0.0.2"))
        .Vip("10.100.0.2", 25, "tcp", v => v.AllowedSources("10.1.0.0/16", "203.0.113.7/32").Backends("10.0.0.3"))
        .Vip("fc00::100", 443, "tcp", v => v.AllowedSources("2001:db8::/32").Backends("fc00::a", "fc00::b"))
        .Vip("10.100.0.3", 80, "tcp", v => v.Backends("10.0.0.4"))
        .ToYaml();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Refusals_are_counted_under_the_vip_that_refused_them_in_one_batch(bool scalar)
    {
        using var bed = new LoadBalancerBed(Yaml, scalar);
        Assert.Equal(["10.100.0.1", "10.100.0.2", "fc00::100", "10.100.0.3"], bed.Config.Vips.Select(v => v.Address.ToString()));
        byte[][] frames =
        [
            Tcp("192.168.4.5", "10.100.0.1", 80),     // allowed
            Tcp("172.16.0.9", "10.100.0.1", 80),      // refused: Web
            Tcp("172.16.0.10", "10.100.0.1", 80),     // refused: Web
            Tcp("192.168.4.5", "10.100.0.2", 25),     // refused: Mail (allowed for Web, not here)
            Tcp("203.0.113.7", "10.100.0.2", 25),     // allowed
            Tcp("203.0.113.8", "10.100.0.2", 25),     // refused: Mail
            Tcp6("2001:db8::7", "fc00::100"),          // allowed
            Tcp6("2001:db9::7", "fc00::100"),          // refused: Web6
            Tcp("172.16.0.9", "10.100.0.3", 80),      // open VIP: forwarded
            Tcp("8.8.8.8", "10.100.0.3", 80),         // open VIP: forwarded
            // A router's error about the reply to a refused client (quoted: VIP:80 -> client) is judged by that client.
            new IcmpErrorShape(Shapes.Tcp4, 28, 3, 4, Rest: 1400).Build(Expect.Router4, "10.100.0.1", "10.100.0.1", 80, "172.16.0.11", 31337, padded: false),
            Tcp("10.9.9.9", "10.100.0.99", 80),       // no VIP: unknown_vip, counted nowhere per VIP
        ];

        ProcessedFrame[] results = bed.Run(frames);

        Assert.Equal(
            [DropReason.None, DropReason.SourceNotAllowed, DropReason.SourceNotAllowed, DropReason.SourceNotAllowed, DropReason.None, DropReason.SourceNotAllowed,
             DropReason.None, DropReason.SourceNotAllowed, DropReason.None, DropReason.None, DropReason.SourceNotAllowed, DropReason.UnknownVip],
            results.Select(r => r.Verdict));
        long[] refused = bed.Counters.VipSourceNotAllowed;
        Assert.Equal((3L, 2L, 1L, 0L), (refused[Web], refused[Mail], refused[Web6], refused[Open]));
        Assert.Equal(results.Count(r => r.Verdict == DropReason.SourceNotAllowed), refused.Sum());
        Assert.Equal([1L, 1L, 1L, 2L], bed.Counters.VipPackets); // refused packets are not forwarded packets

        bed.Run(frames);
        Assert.Equal([6L, 4L, 2L, 0L], bed.Counters.VipSourceNotAllowed);
    }

    private static byte[] Tcp(string source, string vip, ushort port) => FrameBuilder.Ipv4(source, vip).Tcp(40000, port).Build();

    private static byte[] Tcp6(string source, string vip) => FrameBuilder.Ipv6(source, vip).Tcp(40000, 443).Build();
}
