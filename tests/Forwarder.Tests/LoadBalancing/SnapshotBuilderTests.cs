using System.Net;
using System.Runtime.Versioning;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;
using static Forwarder.Tests.LoadBalancing.LoadBalancerConfigs;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>What the control plane hands the workers for a configuration.</summary>
[SupportedOSPlatform("linux")]
public sealed class SnapshotBuilderTests
{
    private readonly ConfiguredSnapshot _configured = SnapshotBuilder.Build(TestConfigs.LoadValid(All), OwnMac, workerCount: 2, version: 7);

    private ForwardingSnapshot _snapshot => _configured.Snapshot;

    private int Find(string address, byte protocol, ushort port) =>
        _snapshot.FindVip(WireAddress.FromIPAddress(IPAddress.Parse(address)), address.Contains(':') ? IpVersion.V6 : IpVersion.V4, protocol,
            BitConverter.IsLittleEndian ? (ushort)((port >> 8) | (port << 8)) : port);

    [Fact]
    public void Every_vip_is_found_by_address_port_and_protocol()
    {
        Assert.Equal(0, Find(IpipV4, IpProtocol.Tcp, 80));
        Assert.Equal(-1, Find(IpipV4, IpProtocol.Udp, 80));
        Assert.Equal(1, Find(GueAnyPort, IpProtocol.Udp, 12345));
        Assert.Equal(1, Find(GueAnyPort, IpProtocol.Tcp, 1));
        Assert.Equal(4, Find(IpipV6, IpProtocol.Tcp, 443));
        Assert.Equal(5, Find(IpipV4InV6, IpProtocol.Udp, 80));
        Assert.Equal(7, _snapshot.Version);
    }

    [Fact]
    public void Backends_are_numbered_by_sorted_address_whatever_the_file_order()
    {
        string reversed = AllVips().EditVip(IpipV4, v => v.NoBackends().Backends("10.0.0.3", "10.0.0.2", "10.0.0.1")).ToYaml();
        ForwardingSnapshot other = SnapshotBuilder.Build(TestConfigs.LoadValid(reversed), OwnMac, workerCount: 1).Snapshot;

        Assert.Equal(_snapshot.Vips[0].Digest, other.Vips[0].Digest);
        Assert.Equal(_snapshot.Vips[0].Slots, other.Vips[0].Slots);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], _configured.Vips[0].Backends.Select(b => b.Address.ToString()));
    }

    [Fact]
    public void A_vip_without_usable_backends_has_no_table()
    {
        Assert.Null(_snapshot.Vips[6].Slots);
        Assert.Equal("none", _snapshot.Vips[6].Digest);
    }

    [Fact]
    public void Overheads_and_destinations_follow_each_vips_mode()
    {
        Assert.All(_snapshot.Vips[0].Backends, b => Assert.Equal(20, b.Overhead));
        Assert.Equal([28, 48], _snapshot.Vips[1].Backends.Select(b => b.Overhead));
        Assert.Equal(0, _snapshot.Vips[2].Backends[0].Overhead);
        Assert.Equal(DsrBackendMac, _snapshot.Vips[2].Backends[0].Macs.Destination);
        Assert.Equal(RouterMacBytes, _snapshot.Vips[3].Backends[0].Macs.Destination);
        Assert.Equal([(ushort)8080, (ushort)0], _snapshot.Vips[3].Backends.Select(b => b.NatPort));
        Assert.Equal(40, _snapshot.Vips[5].Backends[0].Overhead);
    }

    [Fact]
    public void Nat_backends_are_found_by_their_reply_source()
    {
        Assert.Equal(2, _snapshot.NatReplies.Length);
        Assert.All(_snapshot.NatReplies, r => Assert.Equal(3, r.VipIndex));
        Assert.Equal(2, _snapshot.NatReplyLookup.Count); // TCP only: (10.0.1.1, 8080) and (10.0.1.2, 80)
    }

    [Fact]
    public void Every_worker_gets_counters_for_every_vip_and_backend()
    {
        Assert.Equal(2, _snapshot.Counters.Length);
        Assert.All(_snapshot.Counters, c => Assert.Equal(_snapshot.Vips.Length, c.VipPackets.Length));
        Assert.Equal(_snapshot.Vips.Sum(v => v.Backends.Length), _snapshot.BackendCounterCount);
    }

    [Fact]
    public void The_common_ring_size_is_the_one_most_vips_use()
    {
        Assert.Equal(65537u, _snapshot.CommonIndexer.RingSize);
        Assert.Equal(13, _snapshot.Vips[7].RingSize);
    }

    [Fact]
    public void A_source_refuses_a_snapshot_for_another_number_of_workers()
    {
        var source = new SnapshotSource(_snapshot);
        ForwardingSnapshot single = SnapshotBuilder.Build(TestConfigs.LoadValid(All), OwnMac, workerCount: 1).Snapshot;

        Assert.Throws<ArgumentException>(() => source.Publish(single));
        Assert.Same(_snapshot, source.Current);
    }
}
