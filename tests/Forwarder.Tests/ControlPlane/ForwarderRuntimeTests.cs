using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hosting;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.LoadBalancing;
using Forwarder.Steering;

namespace Forwarder.Tests.ControlPlane;

/// <summary>Live changes: validated whole, published as new snapshots, steering maps kept in step, refused changes leave everything as it was.</summary>
[SupportedOSPlatform("linux")]
public sealed class ForwarderRuntimeTests
{
    private static readonly string Base = ConfigBuilder.Standard().ToYaml();

    private static readonly string SecondVip = new VipBuilder("10.100.0.2", 53, "udp").Mode("nat").Backends("10.0.1.1").ToYaml();

    private readonly FakeSteeringMaps _maps = new();
    private readonly ForwarderRuntime _runtime;

    public ForwarderRuntimeTests()
    {
        _runtime = new ForwarderRuntime(TestConfigs.LoadValid(Base), LoadBalancerConfigs.OwnMac, workerCount: 2, _maps);
        _maps.Snapshots = () => _runtime.Snapshots;
    }

    private static VipMapKey Key(string address, ushort port, ProtocolType protocol) => VipMapKey.Create(IPAddress.Parse(address), port, protocol);

    [Fact]
    public void The_initial_configuration_is_steered_and_published()
    {
        Assert.Contains(Key("10.100.0.1", 80, ProtocolType.Tcp), _maps.Vips);
        Assert.Contains(VipMapKey.ForAddress(IPAddress.Parse("10.100.0.1")), _maps.Vips);
        Assert.Equal(1, _runtime.Snapshots.Current.Version);
    }

    [Fact]
    public void A_new_vip_is_steered_before_its_snapshot_is_published_and_a_removed_one_after()
    {
        ChangeResult added = _runtime.ApplyYaml(Base + SecondVip);
        Assert.True(added.Applied, string.Join('\n', added.Errors));
        Assert.Equal(2, added.Version);
        Assert.Contains(Key("10.100.0.2", 53, ProtocolType.Udp), _maps.Vips);
        Assert.Contains(Key("10.0.1.1", 53, ProtocolType.Udp), _maps.NatSources);
        Assert.All(_maps.Log.Skip(2), entry => Assert.Equal(1, entry.SnapshotVersion)); // added while version 1 was live

        _maps.Log.Clear();
        ChangeResult removed = _runtime.ApplyYaml(Base);
        Assert.True(removed.Applied);
        Assert.DoesNotContain(Key("10.100.0.2", 53, ProtocolType.Udp), _maps.Vips);
        Assert.Empty(_maps.NatSources);
        Assert.All(_maps.Log, entry => Assert.Equal(3, entry.SnapshotVersion)); // removed once version 3 was live
    }

    [Fact]
    public void An_invalid_file_is_refused_whole_and_nothing_changes()
    {
        ForwardingSnapshot before = _runtime.Snapshots.Current;
        string broken = ConfigBuilder.Standard(v => v.NoBackends().Backends("10.0.0.1", "10.0.0.2", "10.0.0.300")).ToYaml() + SecondVip;

        ChangeResult result = _runtime.ApplyYaml(broken);

        Assert.False(result.Applied);
        Assert.Contains(result.Errors, e => e.Contains("10.0.0.300"));
        Assert.Same(before, _runtime.Snapshots.Current);
        Assert.DoesNotContain(Key("10.100.0.2", 53, ProtocolType.Udp), _maps.Vips);
        Assert.Equal(1, _runtime.RefusedChanges);
    }

    [Fact]
    public void Interface_settings_are_refused_until_a_restart()
    {
        ChangeResult result = _runtime.ApplyYaml(ConfigBuilder.Standard().Interface("eth1").ToYaml());

        Assert.False(result.Applied);
        Assert.Contains("restart", result.Errors[0]);
        Assert.Equal("eth0", _runtime.Config.Interface.Name);
    }

    [Fact]
    public void A_map_failure_takes_back_what_was_added_and_keeps_the_old_snapshot()
    {
        ForwardingSnapshot before = _runtime.Snapshots.Current;
        _maps.FailOnAdd = key => key.Equals(Key("10.100.0.2", 53, ProtocolType.Udp));

        ChangeResult result = _runtime.ApplyYaml(Base + SecondVip);

        Assert.False(result.Applied);
        Assert.Same(before, _runtime.Snapshots.Current);
        Assert.DoesNotContain(VipMapKey.ForAddress(IPAddress.Parse("10.100.0.2")), _maps.Vips);
        Assert.Empty(_maps.NatSources);
    }

    [Fact]
    public void An_edit_is_validated_like_a_file()
    {
        ChangeResult good = _runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Append(new BackendConfig { Address = IPAddress.Parse("10.0.0.4") }).ToEquatableArray() }).ToEquatableArray(),
        });
        ChangeResult bad = _runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Append(new BackendConfig { Address = IPAddress.Parse("10.100.0.1") }).ToEquatableArray() }).ToEquatableArray(),
        });

        Assert.True(good.Applied);
        Assert.Equal(4, _runtime.Snapshots.Current.Vips[0].Backends.Length);
        Assert.False(bad.Applied);
        Assert.Contains(bad.Errors, e => e.Contains("the VIP's own address"));
    }

    [Fact]
    public void A_backend_marked_down_leaves_the_table_and_returns_when_up()
    {
        var vip = new VipIdentity(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
        IPAddress down = IPAddress.Parse("10.0.0.2");

        _runtime.SetHealth(vip, new BackendId(down, null), healthy: false);
        ConfiguredVip configured = _runtime.Published.Vips[0];
        VipEntry entry = configured.Entry;
        int downId = configured.Backends.ToList().FindIndex(b => b.Address.Equals(down));
        Assert.DoesNotContain(downId, entry.Slots!);
        Assert.Single(_runtime.DownBackends);

        _runtime.SetHealth(vip, new BackendId(down, null), healthy: true);
        Assert.Contains(downId, _runtime.Snapshots.Current.Vips[0].Slots!);
        Assert.Equal(3, _runtime.Snapshots.Current.Version);
    }

    [Fact]
    public void Every_backend_down_leaves_the_vip_without_a_table()
    {
        var vip = new VipIdentity(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
        foreach (string backend in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })
            _runtime.SetHealth(vip, new BackendId(IPAddress.Parse(backend), null), healthy: false);

        Assert.Null(_runtime.Snapshots.Current.Vips[0].Slots);
    }

    private const string NatTwoPorts = """

          - address: 10.100.0.2
            port: 80
            protocol: tcp
            mode: nat
            backends:
              - address: 10.0.1.1
                port: 8080
              - address: 10.0.1.1
                port: 8081
        """;

    [Fact]
    public void Marking_one_port_of_a_nat_address_down_leaves_the_other_port_in_the_table()
    {
        Assert.True(_runtime.ApplyYaml(Base + NatTwoPorts).Applied);
        var vip = new VipIdentity(IPAddress.Parse("10.100.0.2"), 80, VipProtocol.Tcp);
        var on8080 = new BackendId(IPAddress.Parse("10.0.1.1"), 8080);
        var on8081 = new BackendId(IPAddress.Parse("10.0.1.1"), 8081);

        _runtime.SetHealth(vip, on8080, healthy: false);

        ConfiguredVip configured = _runtime.Published.Vips[1];
        VipEntry entry = configured.Entry;
        int id8080 = configured.Backends.ToList().FindIndex(b => b.Id == on8080);
        int id8081 = configured.Backends.ToList().FindIndex(b => b.Id == on8081);
        Assert.NotNull(entry.Slots);
        Assert.All(entry.Slots!, slot => Assert.Equal(id8081, slot));
        Assert.True(entry.Backends[id8080].Down);
        Assert.False(entry.Backends[id8081].Down);
        Assert.Equal([(vip, on8080)], _runtime.DownBackends);

        _runtime.SetHealth(vip, on8081, healthy: true); // not marked: nothing changes
        Assert.Single(_runtime.DownBackends);
        _runtime.SetHealth(vip, on8080, healthy: true);
        Assert.Empty(_runtime.DownBackends);
        Assert.Contains(id8080, _runtime.Snapshots.Current.Vips[1].Slots!);
    }

    [Fact]
    public void Totals_of_two_nat_ports_of_one_address_are_kept_apart_across_changes()
    {
        Assert.True(_runtime.ApplyYaml(Base + NatTwoPorts).Applied);
        var on8080 = new BackendId(IPAddress.Parse("10.0.1.1"), 8080);
        var on8081 = new BackendId(IPAddress.Parse("10.0.1.1"), 8081);
        ConfiguredVip entry = _runtime.Published.Vips[1];
        int Slot(ConfiguredVip e, BackendId id) => e.Entry.Backends[e.Backends.ToList().FindIndex(b => b.Id == id)].CounterIndex;
        _runtime.Snapshots.Current.Counters[0].BackendPackets[Slot(entry, on8080)] += 3;
        _runtime.Snapshots.Current.Counters[1].BackendPackets[Slot(entry, on8081)] += 5;

        // A change retires the snapshot; its counters are summed by backend from now on.
        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Select(b => b.Id == on8081 ? b with { Weight = 2 } : b).ToEquatableArray() }).ToEquatableArray(),
        }).Applied);
        entry = _runtime.Published.Vips[1];
        _runtime.Snapshots.Current.Counters[0].BackendPackets[Slot(entry, on8081)] += 1;

        VipTotals totals = _runtime.Totals()[1];
        Assert.Equal(3, totals.Backends.Single(b => b.Backend == on8080).Packets);
        Assert.Equal(6, totals.Backends.Single(b => b.Backend == on8081).Packets);
    }

    [Fact]
    public void Totals_survive_configuration_changes()
    {
        _runtime.Snapshots.Current.Counters[0].VipPackets[0] += 5;
        _runtime.Snapshots.Current.Counters[1].BackendPackets[1] += 2;

        Assert.True(_runtime.ApplyYaml(Base + SecondVip).Applied);
        _runtime.Snapshots.Current.Counters[0].VipPackets[0] += 1;

        VipTotals totals = _runtime.Totals()[0];
        Assert.Equal(6, totals.Packets);
        Assert.Equal(2, totals.Backends.Single(b => b.Address.Equals(IPAddress.Parse("10.0.0.2"))).Packets);
    }
}
