using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>The vector path (hashes and ring indices eight at a time) and the scalar twin decide and write the same, bit for bit.</summary>
[SupportedOSPlatform("linux")]
public sealed class LoadBalancerPathAgreementTests
{
    [Fact]
    public void Vector_and_scalar_paths_agree_on_every_frame()
    {
        byte[][] frames = RandomFlows.Frames(seed: 7, count: 20_000);
        using var vector = new LoadBalancerBed(scalar: false);
        using var scalar = new LoadBalancerBed(scalar: true);

        ProcessedFrame[] a = vector.Run(frames);
        ProcessedFrame[] b = scalar.Run(frames);

        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(a[i].Verdict, b[i].Verdict);
            Assert.Equal(a[i].Output, b[i].Output);
        }
        Assert.True(a.Count(r => r.Verdict == DropReason.None) > frames.Length / 2, "most random flows should be forwarded");
        Assert.Equal(vector.Counters.BackendPackets, scalar.Counters.BackendPackets);
    }

    [Fact]
    public void Vector_and_scalar_paths_agree_on_quic_traffic()
    {
        byte[][] frames = QuicTraffic(seed: 5, count: 5_000);
        using var vector = new LoadBalancerBed(Fixtures.QuicFixtures.Yaml, scalar: false);
        using var scalar = new LoadBalancerBed(Fixtures.QuicFixtures.Yaml, scalar: true);

        ProcessedFrame[] a = vector.Run(frames);
        ProcessedFrame[] b = scalar.Run(frames);

        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(a[i].Verdict, b[i].Verdict);
            Assert.Equal(a[i].Output, b[i].Output);
        }
        Assert.Equal(vector.Counters.BackendPackets, scalar.Counters.BackendPackets);
        Assert.Equal(vector.Counters.Quic, scalar.Counters.Quic);
        Assert.True(vector.Counters.Quic.Sum() > frames.Length, "the quic VIP should see the traffic");
    }

    [Fact]
    public void Backends_chosen_in_a_pass_of_their_own_match_those_the_ipip_pass_reads_itself()
    {
        // The same VIPs, once alone (no quic VIP: the ipip pass reads each Maglev slot itself) and once followed by quic
        // VIPs the frames never reach (every backend is chosen in a pass before): the same bytes and counts.
        byte[][] frames = RandomFlows.Frames(seed: 11, count: 20_000);
        using var inline = new LoadBalancerBed();
        using var ahead = new LoadBalancerBed(Fixtures.QuicFixtures.Yaml);
        Assert.False(inline.Snapshot.AnyQuic);
        Assert.True(ahead.Snapshot.AnyQuic);

        ProcessedFrame[] a = inline.Run(frames);
        ProcessedFrame[] b = ahead.Run(frames);

        for (int i = 0; i < frames.Length; i++)
        {
            Assert.Equal(a[i].Verdict, b[i].Verdict);
            Assert.Equal(a[i].Output, b[i].Output);
        }
        Assert.True(a.Count(r => r.Verdict == DropReason.None) > frames.Length / 2, "most random flows should be forwarded");
        Assert.Equal(inline.Counters.BackendPackets, ahead.Counters.BackendPackets.AsSpan(0, inline.Counters.BackendPackets.Length).ToArray());
        Assert.Equal(inline.Counters.VipBytes, ahead.Counters.VipBytes.AsSpan(0, inline.Counters.VipBytes.Length).ToArray());
    }

    /// <summary>UDP to the quic VIP from random clients: short headers with known, unknown and no server ids, long headers, random bytes.</summary>
    internal static byte[][] QuicTraffic(int seed, int count)
    {
        var random = new Random(seed);
        byte[][] cids =
        [
            [0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00], [0x41, 0x00, 0x83, 0x04, 0x05, 0x06, 0x07, 0x00],
            [0x80, 0x03, 0x04, 0x02, 0x05, 0x06, 0x07, 0x00], [0xC0, 0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x00],
            [0x41, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
        ];
        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            string client = $"203.0.113.{random.Next(1, 255)}";
            ushort port = (ushort)random.Next(1024, 65535);
            byte[] payload = random.Next(4) switch
            {
                0 => [0xCF, 0xfa, 0xce, 0xb0, 0x01, 8, .. cids[0], 0x00],
                1 => RandomBytes(random),
                _ => Fixtures.QuicFixtures.ShortHeader(cids[random.Next(cids.Length)]),
            };
            frames[i] = Fixtures.QuicFixtures.Frame(payload, client, port);
        }
        return frames;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 20)];
        random.NextBytes(bytes);
        return bytes;
    }
}
