using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hashing;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// A quic VIP through the real load-balancing stage: short headers reach the backend of their server id for
/// every connection-id version, whatever the client's address and port; long-header Initials, unknown and
/// retired ids and malformed headers fall back to Maglev and are counted. Server ids are Katran's test ones.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class QuicFixtures
{
    public const string Vip = "10.100.0.9";
    public const ushort Port = 443;
    private const string Client = "192.168.1.42";

    /// <summary>Backends by server id: Katran's v1 ids 1024 and 1026, its v2 id 0x030402, a v3 id, and one without an id.</summary>
    public static readonly string Yaml = LoadBalancerConfigs.AllVips()
        .Vip(Vip, Port, "udp", v => v.Quic()
            .QuicBackend("10.0.5.1", 1024).QuicBackend("10.0.5.2", 1026).QuicBackend("10.0.5.3", 0x030402)
            .QuicBackend("10.0.5.4", 0x01020304).Backends("10.0.5.5"))
        .Vip(Vip6, Port, "udp", v => v.Quic().QuicBackend("fc00::5:1", 1024).QuicBackend("fc00::5:2", 0x030402))
        .ToYaml();

    public const string Vip6 = "fc00::209";
    private static readonly IPAddress V4 = IPAddress.Parse(Vip);

    public static byte[] ShortHeader(params byte[] cid) => [0x40, .. cid, 0x11, 0x22, 0x33];

    /// <summary>The frame as it arrives from the router (<see cref="Expect.Arriving"/>).</summary>
    public static byte[] Frame(byte[] payload, string client = Client, ushort clientPort = 31337) =>
        Expect.Arriving(FrameBuilder.Ipv4(client, Vip).Udp(clientPort, Port, payload).Build());

    /// <summary>The frame encapsulated to <paramref name="backend"/> as Katran's ipip writes it, towards the router.</summary>
    private static byte[] ToBackend(byte[] frame, string client, ushort clientPort, string backend) =>
        Expect.ToRouter(Forwarder.Tests.Rewrite.ExpectedEncapsulation.Ipip(frame, client, clientPort, backend));

    [Theory]
    [InlineData(new byte[] { 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00 }, "10.0.5.1", QuicCounter.CidV1)]
    [InlineData(new byte[] { 0x41, 0x00, 0x83, 0x04, 0x05, 0x06, 0x07, 0x00 }, "10.0.5.2", QuicCounter.CidV1)]
    [InlineData(new byte[] { 0x80, 0x03, 0x04, 0x02, 0x05, 0x06, 0x07, 0x00 }, "10.0.5.3", QuicCounter.CidV2)]
    [InlineData(new byte[] { 0xC0, 0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x00 }, "10.0.5.4", QuicCounter.CidV3)]
    public void A_short_header_reaches_the_backend_of_its_server_id(byte[] cid, string backend, QuicCounter version)
    {
        using var bed = new LoadBalancerBed(Yaml);
        byte[] frame = Frame(ShortHeader(cid));

        ProcessedFrame result = bed.Run(frame);

        Assert.Equal(DropReason.None, result.Verdict);
        Assert.Equal(ToBackend(frame, Client, 31337, backend), result.Output);
        Assert.Equal([IPAddress.Parse(backend)], FixtureAssert.BackendsCounted(bed.Configured));
        AssertCounted(bed, (QuicCounter.CidRouted, 1), (version, 1));
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00 }, "fc00::5:1")]
    [InlineData(new byte[] { 0x80, 0x03, 0x04, 0x02, 0x05, 0x06, 0x07, 0x00 }, "fc00::5:2")]
    public void An_ipv6_short_header_reaches_the_backend_of_its_server_id(byte[] cid, string backend)
    {
        using var bed = new LoadBalancerBed(Yaml);
        const string client = "2001:db8:1::42";
        byte[] frame = Expect.Arriving(FrameBuilder.Ipv6(client, Vip6).Udp(50000, Port, ShortHeader(cid)).Build());

        ProcessedFrame result = bed.Run(frame);

        Assert.Equal(DropReason.None, result.Verdict);
        Assert.Equal(ToBackend(frame, client, 50000, backend), result.Output);
        Assert.Equal([IPAddress.Parse(backend)], FixtureAssert.BackendsCounted(bed.Configured));
    }

    [Fact]
    public void Katrans_handshake_packet_reaches_the_backend_of_server_id_1024()
    {
        using var bed = new LoadBalancerBed(Yaml);
        byte[] handshake = [0xEF, 0xfa, 0xce, 0xb0, 0x01, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x00, 0x11];

        Assert.Equal(DropReason.None, bed.Run(Frame(handshake)).Verdict);

        Assert.Equal([IPAddress.Parse("10.0.5.1")], FixtureAssert.BackendsCounted(bed.Configured));
        AssertCounted(bed, (QuicCounter.CidRouted, 1), (QuicCounter.CidV1, 1));
    }

    [Fact]
    public void A_connection_migrating_to_new_client_addresses_and_ports_stays_on_its_backend_where_maglev_would_move_it()
    {
        byte[] payload = ShortHeader(0x80, 0x03, 0x04, 0x02, 0x05, 0x06, 0x07, 0x00); // server id 0x030402: 10.0.5.3
        int maglevElsewhere = 0;
        for (int i = 0; i < 32; i++)
        {
            string client = $"198.51.100.{1 + i}";
            ushort clientPort = (ushort)(40000 + 97 * i);
            using var bed = new LoadBalancerBed(Yaml);
            byte[] frame = Frame(payload, client, clientPort);

            ProcessedFrame result = bed.Run(frame);

            Assert.Equal(DropReason.None, result.Verdict);
            Assert.Equal(ToBackend(frame, client, clientPort, "10.0.5.3"), result.Output);

            Assert.Equal([IPAddress.Parse("10.0.5.3")], FixtureAssert.BackendsCounted(bed.Configured));
            if (!MaglevChoice(bed, client, clientPort).Equals(IPAddress.Parse("10.0.5.3")))
                maglevElsewhere++;
        }
        Assert.True(maglevElsewhere > 16, $"Maglev alone would have moved the connection for only {maglevElsewhere} of 32 client addresses");
    }

    [Theory]
    [InlineData(new byte[] { 0xCF, 0xfa, 0xce, 0xb0, 0x01, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x00, 0x11 }, QuicCounter.Initial, null)]
    [InlineData(new byte[] { 0xDF, 0xfa, 0xce, 0xb0, 0x01, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x00, 0x11 }, QuicCounter.Initial, null)]
    [InlineData(new byte[] { 0x41, 0x41, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40 }, QuicCounter.UnknownServerId, QuicCounter.CidV1)] // Katran's 1092
    [InlineData(new byte[] { 0x41, 0x80, 0x03, 0x04, 0x44, 0x00, 0x00, 0x00, 0x00, 0x40 }, QuicCounter.UnknownServerId, QuicCounter.CidV2)] // Katran's 197700
    [InlineData(new byte[] { 0x41, 0x40, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x40 }, QuicCounter.CidV1, null)] // host id 0
    [InlineData(new byte[] { 0x41, 0x00, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x40 }, QuicCounter.CidV0, null)]
    [InlineData(new byte[] { 0x00 }, QuicCounter.MaglevRouted, null)] // Katran 29: no connection id
    public void Packets_without_a_live_server_id_take_the_maglev_choice_and_are_counted(byte[] payload, QuicCounter reason, QuicCounter? version)
    {
        using var bed = new LoadBalancerBed(Yaml);

        Assert.Equal(DropReason.None, bed.Run(Frame(payload)).Verdict);

        Assert.Equal([MaglevChoice(bed, Client, 31337)], FixtureAssert.BackendsCounted(bed.Configured));
        var expected = new List<(QuicCounter, long)> { (QuicCounter.MaglevRouted, 1) };
        if (reason != QuicCounter.MaglevRouted)
            expected.Add((reason, 1));
        if (version is { } v)
            expected.Add((v, 1));
        AssertCounted(bed, [.. expected]);
    }

    [Fact]
    public void The_server_id_of_a_backend_marked_down_is_retired()
    {
        ForwarderConfig config = TestConfigs.LoadValid(Yaml);
        VipConfig vip = config.Vips.Single(v => v.Quic && v.Address.Equals(V4));
        var down = new HashSet<(VipIdentity, BackendId)> { (VipIdentity.Of(vip), new BackendId(IPAddress.Parse("10.0.5.1"), null)) };
        ConfiguredSnapshot snapshot = SnapshotBuilder.Build(config, LoadBalancerConfigs.OwnMac, 1, down: down);
        using var bed = new LoadBalancerBed(Yaml);
        bed.Source.Publish(snapshot.Snapshot);

        Assert.Equal(DropReason.None, bed.Run(Frame(ShortHeader(0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00))).Verdict);

        Assert.DoesNotContain(IPAddress.Parse("10.0.5.1"), FixtureAssert.BackendsCounted(snapshot));
        AssertCounted(snapshot, (QuicCounter.MaglevRouted, 1), (QuicCounter.CidV1, 1), (QuicCounter.RetiredServerId, 1));
    }

    [Fact]
    public void The_server_id_of_a_removed_backend_is_retired_and_a_new_one_taking_it_is_live()
    {
        var parts = new SnapshotParts();
        ForwarderConfig config = TestConfigs.LoadValid(Yaml);
        SnapshotBuilder.Build(config, LoadBalancerConfigs.OwnMac, 1, parts: parts);
        VipConfig vip = config.Vips.Single(v => v.Quic && v.Address.Equals(V4));
        VipConfig without = vip with { Backends = vip.Backends.Where(b => b.ServerId != 1024).ToEquatableArray() };
        ForwarderConfig removed = config with { Vips = config.Vips.Select(v => v == vip ? without : v).ToEquatableArray() };

        ConfiguredSnapshot second = SnapshotBuilder.Build(removed, LoadBalancerConfigs.OwnMac, 1, version: 2, parts: parts);
        QuicServerIds ids = second.Vips.Single(v => v.Config.Quic && v.Config.Address.Equals(V4)).Entry.Quic!;
        Assert.Equal(QuicServerIds.Retired, ids.Find(1024));
        Assert.Equal(QuicServerIds.Unknown, ids.Find(1025));

        ForwarderConfig back = config with { Vips = config.Vips.Select(v => v == vip ? vip with { Backends = [.. without.Backends, new BackendConfig { Address = IPAddress.Parse("10.0.5.9"), ServerId = 1024 }] } : v).ToEquatableArray() };
        ConfiguredSnapshot third = SnapshotBuilder.Build(back, LoadBalancerConfigs.OwnMac, 1, version: 3, parts: parts);
        ConfiguredVip quic = third.Vips.Single(v => v.Config.Quic && v.Config.Address.Equals(V4));
        Assert.Equal(IPAddress.Parse("10.0.5.9"), quic.Backends[quic.Entry.Quic!.Find(1024)].Address);
    }

    [Fact]
    public void A_server_id_change_changes_the_vips_digest_and_a_non_quic_vip_keeps_the_maglev_digest()
    {
        ForwarderConfig config = TestConfigs.LoadValid(Yaml);
        VipConfig vip = config.Vips.Single(v => v.Quic && v.Address.Equals(V4));
        VipConfig renumbered = vip with { Backends = vip.Backends.Select(b => b.ServerId == 1024 ? b with { ServerId = 1025 } : b).ToEquatableArray() };

        Assert.NotEqual(VipTable.Build(vip).Digest, VipTable.Build(renumbered).Digest);
        Assert.Equal(VipTable.Build(vip with { Quic = false }).Table!.Digest, VipTable.Build(vip with { Quic = false }).Digest);
        Assert.NotEqual(VipTable.Build(vip).Table!.Digest, VipTable.Build(vip).Digest);
    }

    [Fact]
    public void Truncated_and_malformed_quic_headers_never_throw_and_every_packet_is_forwarded_and_counted_once()
    {
        var random = new Random(9001);
        var frames = new List<byte[]>();
        for (int i = 0; i < 2000; i++)
        {
            var payload = new byte[random.Next(0, 24)];
            random.NextBytes(payload);
            frames.Add(Frame(payload, clientPort: (ushort)random.Next(1024, 65535)));
        }
        using var bed = new LoadBalancerBed(Yaml);

        ProcessedFrame[] results = bed.Run(frames);

        Assert.All(results, r => Assert.Equal(DropReason.None, r.Verdict));
        QuicTotals totals = Totals(bed.Configured);
        Assert.Equal(frames.Count, totals[QuicCounter.CidRouted] + totals[QuicCounter.MaglevRouted]);
    }

    [Fact]
    public void An_established_flow_in_the_connection_table_moves_to_the_backend_its_connection_id_names()
    {
        var table = new Forwarder.FlowTable.ConnectionTable(new Forwarder.FlowTable.ConnectionTableOptions { Capacity = 1024 });
        ConfiguredSnapshot configured = SnapshotBuilder.Build(TestConfigs.LoadValid(Yaml), LoadBalancerConfigs.OwnMac, 1);
        var source = new SnapshotSource(configured.Snapshot);
        using var bed = new LoadBalancerBed(Yaml);
        var stage = new LoadBalancer(source, 0, table);
        (IPAddress maglev, IPAddress named) = InitialShortHeaderInitial(bed, stage);

        Assert.Equal(1, BackendPackets(configured, maglev));
        Assert.Equal(2, BackendPackets(configured, named)); // the short header, then the Initial retransmit, remembered on the CID's backend
    }

    [Fact]
    public void A_quic_vip_that_bypasses_the_connection_table_routes_by_connection_id_and_remembers_nothing()
    {
        string yaml = LoadBalancerConfigs.AllVips()
            .Vip(Vip, Port, "udp", v => v.Quic().FlowTable("bypass")
                .QuicBackend("10.0.5.1", 1024).QuicBackend("10.0.5.2", 1026).QuicBackend("10.0.5.3", 0x030402)
                .QuicBackend("10.0.5.4", 0x01020304).Backends("10.0.5.5"))
            .ToYaml();
        var table = new Forwarder.FlowTable.ConnectionTable(new Forwarder.FlowTable.ConnectionTableOptions { Capacity = 1024 });
        ConfiguredSnapshot configured = SnapshotBuilder.Build(TestConfigs.LoadValid(yaml), LoadBalancerConfigs.OwnMac, 1);
        using var bed = new LoadBalancerBed(yaml);
        var stage = new LoadBalancer(new SnapshotSource(configured.Snapshot), 0, table);
        (IPAddress maglev, IPAddress named) = InitialShortHeaderInitial(bed, stage);

        Assert.Equal(2, BackendPackets(configured, maglev)); // both Initials: nothing remembered the connection id's backend for the 5-tuple
        Assert.Equal(1, BackendPackets(configured, named));
        Assert.Equal(0, table.Count);
    }

    /// <summary>The backend Maglev alone picks for a flow from (<paramref name="client"/>, <paramref name="clientPort"/>) to the quic VIP.</summary>
    /// <summary>
    /// Runs one batch through <paramref name="stage"/>: an Initial of the client's flow, a short header whose connection id
    /// names a backend other than Maglev's choice for that flow, the Initial again. Returns both backends.
    /// </summary>
    private static (IPAddress Maglev, IPAddress Named) InitialShortHeaderInitial(LoadBalancerBed bed, LoadBalancer stage)
    {
        byte[] initial = [0xCF, 0xfa, 0xce, 0xb0, 0x01, 8, 0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x00, 0x11];
        IPAddress maglev = MaglevChoice(bed, Client, 31337);
        bool maglevIsFirst = maglev.Equals(IPAddress.Parse("10.0.5.1"));
        byte[] cid = maglevIsFirst
            ? [0x41, 0x00, 0x83, 0x04, 0x05, 0x06, 0x07, 0x00]  // 1026: 10.0.5.2
            : [0x41, 0x00, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00]; // 1024: 10.0.5.1
        bed.Load([Frame(initial), Frame(ShortHeader(cid)), Frame(initial)], 0, 3);
        stage.Process(bed.Batch);
        return (maglev, IPAddress.Parse(maglevIsFirst ? "10.0.5.2" : "10.0.5.1"));
    }

    /// <summary>Packets counted for <paramref name="backend"/> of the IPv4 quic VIP on worker 0.</summary>
    private static long BackendPackets(ConfiguredSnapshot configured, IPAddress backend)
    {
        ConfiguredVip quic = configured.Vips.Single(v => v.Config.Quic && v.Config.Address.Equals(V4));
        int index = quic.Backends.Select((b, i) => (b, i)).Single(x => x.b.Address.Equals(backend)).i;
        return configured.Snapshot.Counters[0].BackendPackets[quic.Entry.Backends[index].CounterIndex];
    }

    private static IPAddress MaglevChoice(LoadBalancerBed bed, string client, ushort clientPort)
    {
        ConfiguredVip vip = bed.Configured.Vips.Single(v => v.Config.Quic && v.Config.Address.Equals(V4));
        FlowChoice choice = FlowDecision.Decide(vip.Entry, WireAddress.FromIPAddress(IPAddress.Parse(client)), FlowHash.PortsWord(clientPort, Port));
        return vip.Backends[choice.Backend].Address;
    }

    private static QuicTotals Totals(ConfiguredSnapshot snapshot) => snapshot.Totals().Single(t => t.Vip.Quic && t.Vip.Address.Equals(V4)).Quic!;

    private static void AssertCounted(LoadBalancerBed bed, params (QuicCounter Counter, long Count)[] expected) => AssertCounted(bed.Configured, expected);

    /// <summary>The quic VIP's counters are exactly <paramref name="expected"/>, every other one 0.</summary>
    private static void AssertCounted(ConfiguredSnapshot snapshot, params (QuicCounter Counter, long Count)[] expected)
    {
        QuicTotals totals = Totals(snapshot);
        foreach (QuicCounter counter in QuicCounters.All)
        {
            long want = expected.Where(e => e.Counter == counter).Sum(e => e.Count);
            Assert.True(totals[counter] == want, $"{QuicCounters.Name(counter)}: {totals[counter]}, expected {want}");
        }
    }
}
