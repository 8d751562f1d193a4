using System.Net;
using System.Runtime.Versioning;
using System.Text;
using Forwarder.Api;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.LoadBalancing;

namespace Forwarder.Tests.ControlPlane;

/// <summary>
/// A change rebuilds only the VIPs it touches: health flips and edits compute the tables whose inputs changed
/// and nothing else, unchanged VIPs keep their slots array, equal VIPs share one, and every snapshot is
/// exactly the one a full rebuild gives.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class IncrementalRebuildTests
{
    private const int Workers = 2;

    /// <summary><paramref name="vips"/> VIPs 10.100.0.N:80/tcp; distinct backends 10.(N+1).0.1–4, or all the same 10.0.0.1–4.</summary>
    private static string Config(int vips, bool distinct, int ringSize = 251)
    {
        ConfigBuilder config = ConfigBuilder.WithoutVips();
        for (int v = 0; v < vips; v++)
        {
            config.Vip($"10.100.0.{v + 1}", 80, "tcp", vip =>
            {
                vip.Maglev(ringSize: ringSize);
                for (int b = 1; b <= 4; b++)
                    vip.Backend(distinct ? $"10.{v + 1}.0.{b}" : $"10.0.0.{b}");
            });
        }
        return config.ToYaml();
    }

    private static ForwarderRuntime Runtime(string yaml) =>
        new(TestConfigs.LoadValid(yaml), LoadBalancerConfigs.OwnMac, Workers, new FakeSteeringMaps());

    private static VipIdentity Vip(int n) => new(IPAddress.Parse($"10.100.0.{n}"), 80, VipProtocol.Tcp);

    [Fact]
    public void The_first_snapshot_builds_each_distinct_table_once()
    {
        ForwarderRuntime runtime = Runtime(Config(20, distinct: true));
        Assert.Equal(20, runtime.TablesBuilt);
        Assert.Equal(0, runtime.TablesReused);
    }

    [Fact]
    public void A_health_flip_of_one_backend_builds_exactly_one_table()
    {
        ForwarderRuntime runtime = Runtime(Config(20, distinct: true));
        long built = runtime.TablesBuilt, reused = runtime.TablesReused;

        runtime.SetHealth(Vip(8), new BackendId(IPAddress.Parse("10.8.0.2"), null), healthy: false);
        Assert.Equal(built + 1, runtime.TablesBuilt);
        Assert.Equal(reused + 19, runtime.TablesReused);

        runtime.SetHealth(Vip(8), new BackendId(IPAddress.Parse("10.8.0.2"), null), healthy: true);
        Assert.Equal(built + 1, runtime.TablesBuilt); // back to inputs seen one change ago: that table is kept
    }

    [Fact]
    public void A_weight_change_of_one_vip_builds_exactly_one_table()
    {
        ForwarderRuntime runtime = Runtime(Config(20, distinct: true));
        long built = runtime.TablesBuilt;

        ChangeResult result = runtime.Edit(c => ConfigEdits.SetWeight(c, Vip(5), new BackendId(IPAddress.Parse("10.5.0.3"), null), 3));

        Assert.True(result.Applied, string.Join('\n', result.Errors));
        Assert.Equal(built + 1, runtime.TablesBuilt);
    }

    [Fact]
    public void An_unrelated_vips_slots_array_is_the_same_object_across_publishes()
    {
        ForwarderRuntime runtime = Runtime(Config(20, distinct: true));
        ForwardingSnapshot first = runtime.Snapshots.Current;

        runtime.SetHealth(Vip(8), new BackendId(IPAddress.Parse("10.8.0.2"), null), healthy: false);
        Assert.True(runtime.Edit(c => ConfigEdits.SetWeight(c, Vip(8), new BackendId(IPAddress.Parse("10.8.0.1"), null), 2)).Applied);
        ForwardingSnapshot last = runtime.Snapshots.Current;

        Assert.Equal(first.Version + 2, last.Version);
        for (int v = 0; v < 20; v++)
        {
            if (v == 7)
                Assert.NotSame(first.Vips[v].Slots, last.Vips[v].Slots);
            else
                Assert.Same(first.Vips[v].Slots, last.Vips[v].Slots);
        }
        Assert.NotSame(first.Counters[0], last.Counters[0]); // counters stay per snapshot
    }

    [Fact]
    public void Vips_with_identical_inputs_share_one_slots_array()
    {
        ForwarderRuntime runtime = Runtime(Config(30, distinct: false));
        VipEntry[] vips = runtime.Snapshots.Current.Vips;

        Assert.Equal(1, runtime.TablesBuilt);
        Assert.Equal(29, runtime.TablesReused);
        Assert.All(vips, v => Assert.Same(vips[0].Slots, v.Slots));

        // A backend shared by every VIP goes down: one change, one new table, still shared.
        runtime.SetHealth(Enumerable.Range(1, 30).Select(n => (Vip(n), new BackendId(IPAddress.Parse("10.0.0.3"), null))), healthy: false);
        VipEntry[] after = runtime.Snapshots.Current.Vips;
        Assert.Equal(2, runtime.Snapshots.Current.Version);
        Assert.Equal(2, runtime.TablesBuilt);
        Assert.All(after, v => Assert.Same(after[0].Slots, v.Slots));
        Assert.NotSame(vips[0].Slots, after[0].Slots);
    }

    [Fact]
    public void Identical_vips_share_one_slots_array_in_a_snapshot_built_alone()
    {
        ForwardingSnapshot snapshot = SnapshotBuilder.Build(TestConfigs.LoadValid(Config(5, distinct: false)), LoadBalancerConfigs.OwnMac, Workers).Snapshot;
        Assert.All(snapshot.Vips, v => Assert.Same(snapshot.Vips[0].Slots, v.Slots));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_snapshot_equals_a_full_rebuild_through_random_changes(int seed)
    {
        var random = new Random(seed);
        ForwarderRuntime runtime = Runtime(Config(12, distinct: seed % 2 == 0) + NatVip);
        for (int step = 0; step < 60; step++)
        {
            Change(runtime, random);
            AssertSameAsFullRebuild(runtime);
        }
    }

    private static readonly string NatVip = new VipBuilder("10.100.1.1", 80, "tcp").Mode("nat")
        .Backend("10.50.0.1", port: 8080).Backend("10.50.0.1", port: 8081).Backend("10.50.0.2").ToYaml();

    /// <summary>One random change: a health flip, a weight, a backend or VIP added or removed, a ring size, the router MAC.</summary>
    private static void Change(ForwarderRuntime runtime, Random random)
    {
        ForwarderConfig config = runtime.Config;
        if (config.Vips.Count == 0)
        {
            Assert.True(runtime.ApplyYaml(Config(3, distinct: true)).Applied);
            return;
        }
        VipConfig vip = config.Vips[random.Next(config.Vips.Count)];
        var id = VipIdentity.Of(vip);
        BackendConfig? backend = vip.Backends.Count == 0 ? null : vip.Backends[random.Next(vip.Backends.Count)];
        switch (random.Next(8))
        {
            case 0 or 1 when backend is not null:
                runtime.SetHealth(id, backend.Id, healthy: random.Next(2) == 0);
                break;
            case 2 when backend is not null:
                Edit(runtime, c => ConfigEdits.SetWeight(c, id, backend.Id, (uint)random.Next(4)));
                break;
            case 3:
                Edit(runtime, c => ConfigEdits.AddBackend(c, id, new BackendConfig { Address = IPAddress.Parse($"10.60.{random.Next(4)}.{random.Next(1, 250)}") }));
                break;
            case 4 when backend is not null:
                Edit(runtime, c => ConfigEdits.RemoveBackend(c, id, backend.Id));
                break;
            case 5:
                Edit(runtime, c => random.Next(2) == 0
                    ? ConfigEdits.RemoveVip(c, id)
                    : ConfigEdits.AddVip(c, vip with { Address = IPAddress.Parse($"10.101.{random.Next(4)}.{random.Next(1, 250)}") }));
                break;
            case 6:
                Edit(runtime, c => c with
                {
                    Vips = c.Vips.Select(v => v == vip ? v with { Maglev = v.Maglev with { RingSize = random.Next(2) == 0 ? 251 : 509 } } : v).ToEquatableArray(),
                });
                break;
            default:
                Edit(runtime, c => c with { RouterMac = System.Net.NetworkInformation.PhysicalAddress.Parse($"02-00-00-00-00-0{random.Next(1, 4)}") });
                break;
        }
    }

    /// <summary>Applies an edit; one that is refused (e.g. a VIP added twice) is a change that did not happen.</summary>
    private static void Edit(ForwarderRuntime runtime, Func<ForwarderConfig, ForwarderConfig> edit) => runtime.Edit(edit);

    private static void AssertSameAsFullRebuild(ForwarderRuntime runtime)
    {
        ConfiguredSnapshot configuredLive = runtime.Published, configuredFull = SnapshotBuilder.Build(runtime.Config,
            LoadBalancerConfigs.OwnMac, Workers, runtime.Snapshots.Current.Version, runtime.DownBackends.ToHashSet());
        ForwardingSnapshot live = runtime.Snapshots.Current, full = configuredFull.Snapshot;

        Assert.Same(live, configuredLive.Snapshot);
        Assert.Equal(full.Vips.Length, live.Vips.Length);
        for (int v = 0; v < full.Vips.Length; v++)
        {
            VipEntry expected = full.Vips[v], actual = live.Vips[v];
            Assert.Equal(configuredFull.Vips[v].Config, configuredLive.Vips[v].Config);
            Assert.Equal(v, actual.Index);
            Assert.Equal(expected.Digest, actual.Digest);
            Assert.Equal(expected.Slots, actual.Slots);
            Assert.Equal(expected.Backends, actual.Backends);
            Assert.Equal(configuredFull.Vips[v].Backends, configuredLive.Vips[v].Backends);
            foreach (BackendEntry backend in expected.Backends)
                Assert.Equal(expected.BackendLookup.Find(new VipKey(backend.Address, backend.Version, 0, backend.NatPort)),
                    actual.BackendLookup.Find(new VipKey(backend.Address, backend.Version, 0, backend.NatPort)));
        }
        Assert.Equal(full.NatReplies, live.NatReplies);
        Assert.Equal(full.BackendCounterCount, live.BackendCounterCount);
        Assert.Equal(full.CommonIndexer.RingSize, live.CommonIndexer.RingSize);
        Assert.All(live.Counters, c => Assert.All(c.BackendPackets, p => Assert.Equal(0, p)));
    }
}
