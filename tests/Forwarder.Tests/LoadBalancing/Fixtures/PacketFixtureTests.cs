using System.Net;
using System.Runtime.Versioning;
using Forwarder.Packets;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// Runs the packet fixtures through the real load-balancing stage: each alone in a fresh stage, then all
/// of them shuffled into batches of 64, where every frame must come out as it does alone.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PacketFixtureTests
{
    private const int ShuffleSeed = 20251122;

    public static TheoryData<string> Names() => PacketFixtures.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public void Fixture(string name)
    {
        PacketFixture fixture = PacketFixtures.Get(name);
        using var bed = new LoadBalancerBed(FixtureConfigs.Yaml(fixture.Config));

        ProcessedFrame result = bed.Run(fixture.Input);

        FixtureAssert.Outcome(fixture, result, bed.Config.Gue.Port);
        FixtureAssert.Counters(bed.Configured, fixture.Counters, name);
        if (fixture.OwnerFlow is not null)
            AssertFlowReachesTheSameBackend(fixture);
    }

    [Fact]
    public void All_fixtures_shuffled_into_batches_of_64_come_out_as_each_does_alone()
    {
        PacketFixture[] fixtures = [.. PacketFixtures.All];
        Assert.True(fixtures.Length > 2 * LoadBalancerBed.BatchSize, $"{fixtures.Length} fixtures fill fewer than three batches");
        new Random(ShuffleSeed).Shuffle(fixtures);
        byte[][] frames = [.. fixtures.Select(f => f.Input)];

        foreach (bool scalar in new[] { false, true })
        {
            using var bed = new LoadBalancerBed(FixtureConfigs.ExtendedYaml, scalar);

            ProcessedFrame[] results = bed.Run(frames);

            for (int i = 0; i < fixtures.Length; i++)
                FixtureAssert.Outcome(fixtures[i], results[i], bed.Config.Gue.Port);
            FixtureAssert.Counters(bed.Configured, CounterDeltas.Sum(fixtures.Select(f => f.Counters)), scalar ? "all fixtures, scalar path" : "all fixtures");
        }
    }

    /// <summary>An ICMP error about a flow and a packet of that flow reach the same backend.</summary>
    private static void AssertFlowReachesTheSameBackend(PacketFixture error)
    {
        using var bed = new LoadBalancerBed(FixtureConfigs.Yaml(error.Config));

        ProcessedFrame flow = bed.Run(error.OwnerFlow!);

        Assert.Equal(DropReason.None, flow.Verdict);
        IPAddress errorBackend = Assert.Single(error.Counters.Backends.Keys);
        IPAddress flowBackend = Assert.Single(FixtureAssert.BackendsCounted(bed.Configured));
        Assert.True(errorBackend.Equals(flowBackend), $"\"{error.Name}\": the error reaches {errorBackend}, the flow's packets {flowBackend}");
    }
}
