using System.Net;
using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Tests.Rewrite;
using Forwarder.ControlPlane;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>Compares what the stage did with what a fixture expects: verdict, exact output, every checksum of the output, counters.</summary>
[SupportedOSPlatform("linux")]
internal static class FixtureAssert
{
    public static void Outcome(PacketFixture fixture, ProcessedFrame result, ushort guePort)
    {
        Assert.True(result.Verdict == fixture.Verdict, $"\"{fixture.Name}\": verdict {result.Verdict}, expected {fixture.Verdict}");
        if (fixture.Output is null)
        {
            Assert.True(result.Output is null, $"\"{fixture.Name}\": a dropped frame has no output");
            return;
        }
        byte[] output = result.Output!;
        if (!output.AsSpan().SequenceEqual(fixture.Output))
            Assert.Fail($"\"{fixture.Name}\": the output differs {Difference(fixture.Output, output)}");
        int checksums = WireChecksums.AssertValid(output, guePort, padded: fixture.OutputPadded);
        Assert.True(checksums > 0, $"\"{fixture.Name}\": no checksum in the output was checked");
    }

    /// <summary>Every per-VIP and per-backend counter and every answer counter, summed over workers, equals <paramref name="expected"/> (0 where not listed).</summary>
    public static void Counters(ConfiguredSnapshot configured, CounterDeltas expected, string what)
    {
        ForwardingSnapshot snapshot = configured.Snapshot;
        LoadBalancerCounters[] workers = snapshot.Counters;
        var backendsSeen = new HashSet<IPAddress>();
        foreach (ConfiguredVip configuredVip in configured.Vips)
        {
            VipEntry vip = configuredVip.Entry;
            int v = vip.Index;
            var counted = new Traffic(workers.Sum(c => c.VipPackets[v]), workers.Sum(c => c.VipBytes[v]));
            Traffic want = expected.Vips.GetValueOrDefault(v);
            Assert.True(counted == want, $"\"{what}\": VIP {v} ({configuredVip.Config.Address}) counted {counted}, expected {want}");
            for (int b = 0; b < vip.Backends.Length; b++)
            {
                int slot = vip.Backends[b].CounterIndex;
                IPAddress address = configuredVip.Backends[b].Address;
                backendsSeen.Add(address);
                var backendCounted = new Traffic(workers.Sum(c => c.BackendPackets[slot]), workers.Sum(c => c.BackendBytes[slot]));
                Traffic backendWant = expected.Backends.GetValueOrDefault(address);
                Assert.True(backendCounted == backendWant, $"\"{what}\": backend {address} of VIP {v} counted {backendCounted}, expected {backendWant}");
                var repliesCounted = new Traffic(workers.Sum(c => c.BackendReplyPackets[slot]), workers.Sum(c => c.BackendReplyBytes[slot]));
                Traffic repliesWant = expected.BackendReplies.GetValueOrDefault(address);
                Assert.True(repliesCounted == repliesWant, $"\"{what}\": replies of backend {address} of VIP {v} counted {repliesCounted}, expected {repliesWant}");
            }
        }
        foreach (int vip in expected.Vips.Keys)
            Assert.True(vip >= 0 && vip < snapshot.Vips.Length, $"\"{what}\": expects counts for VIP {vip}, which the configuration does not have");
        foreach (IPAddress backend in expected.Backends.Keys.Concat(expected.BackendReplies.Keys))
            Assert.True(backendsSeen.Contains(backend), $"\"{what}\": expects counts for backend {backend}, which the configuration does not have");

        LoadBalancerEventTotals events = snapshot.EventTotals();
        Assert.True(events.EchoReplies == expected.EchoReplies, $"\"{what}\": {events.EchoReplies} echo replies, expected {expected.EchoReplies}");
        Assert.True(events.TooBigAnswered == expected.TooBigAnswered, $"\"{what}\": {events.TooBigAnswered} too-big answers, expected {expected.TooBigAnswered}");
        Assert.True(events.NatReplies == expected.NatReplies, $"\"{what}\": {events.NatReplies} nat replies, expected {expected.NatReplies}");
    }

    /// <summary>The backends with at least one packet counted.</summary>
    public static IReadOnlyList<IPAddress> BackendsCounted(ConfiguredSnapshot configured) =>
        configured.Vips
            .SelectMany(vip => vip.Entry.Backends.Select((backend, b) => (vip.Backends[b].Address, backend.CounterIndex)))
            .Where(x => configured.Snapshot.Counters.Sum(c => c.BackendPackets[x.CounterIndex]) > 0)
            .Select(x => x.Address)
            .ToList();

    private static string Difference(byte[] expected, byte[] actual)
    {
        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
            at++;
        return $"from byte {at} (expected {expected.Length} bytes, got {actual.Length}):\nexpected {Convert.ToHexString(expected)}\nactual   {Convert.ToHexString(actual)}";
    }
}
