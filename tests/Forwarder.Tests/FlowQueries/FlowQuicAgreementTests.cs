using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing.Fixtures;
using static Forwarder.Tests.LoadBalancing.LoadBalancerConfigs;

namespace Forwarder.Tests.FlowQueries;

/// <summary>
/// <c>forwarder flow --cid</c> (<see cref="FlowLookup"/> over <see cref="FlowDecision.DecideQuic"/>) names the backend
/// and the outcome the real <see cref="LoadBalancer"/> gives a QUIC short-header packet carrying that destination
/// connection id: routed ids of every version, unknown ids, ids without a server id (v0, id 0, a v3 id with the top
/// bit set), ids of a backend marked down and of a removed one, an IPv6 quic VIP, and random ids of 8 to 20 bytes. The stage's choice
/// is read from the backend counter and the quic counters each frame raised.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class FlowQuicAgreementTests : IDisposable
{
    private static readonly VipIdentity QuicVip = new(IPAddress.Parse(QuicFixtures.Vip), QuicFixtures.Port, VipProtocol.Udp);
    private static readonly VipIdentity QuicVip6 = new(IPAddress.Parse(QuicFixtures.Vip6), QuicFixtures.Port, VipProtocol.Udp);

    private readonly byte* _chunk = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
    private readonly ForwarderRuntime _runtime = new(TestConfigs.LoadValid(QuicFixtures.Yaml), OwnMac, 1, new FakeSteeringMaps());

    [Theory]
    [InlineData("4100030405060700", QuicCounter.CidRouted, 1, 1024u)]                  // v1 1024: 10.0.5.1
    [InlineData("4100830405060700", QuicCounter.CidRouted, 1, 1026u)]                  // v1 1026: 10.0.5.2
    [InlineData("8003040205060700", QuicCounter.CidRouted, 2, 0x030402u)]              // v2: 10.0.5.3
    [InlineData("C001020304060700AABBCCDDEEFF00112233", QuicCounter.CidRouted, 3, 0x01020304u)] // v3, 18 bytes: 10.0.5.4
    [InlineData("4111000000000000", QuicCounter.UnknownServerId, 1, 1092u)]            // Katran's 1092
    [InlineData("8003044400000000", QuicCounter.UnknownServerId, 2, 197700u)]          // Katran's 197700
    [InlineData("0000030405060700", QuicCounter.MaglevRouted, 0, null)]                // v0 carries no server id
    [InlineData("4000000405060700", QuicCounter.MaglevRouted, 1, null)]                // v1 server id 0
    [InlineData("C080000000000000", QuicCounter.MaglevRouted, 3, null)]                // v3 with the top bit set: none
    public void Each_kind_of_connection_id_gets_the_stage_s_backend_and_outcome(string cid, QuicCounter outcome, int version, uint? serverId)
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0);
        for (int i = 0; i < 40; i++)
        {
            FlowQuic answer = AssertAgreement(ref stage, Convert.FromHexString(cid), $"198.51.100.{1 + i}", (ushort)(40000 + 97 * i));
            Assert.Equal(QuicCounters.Name(outcome), answer.Outcome);
            Assert.Equal(version, answer.CidVersion);
            Assert.Equal(serverId, answer.ServerId);
        }
    }

    [Theory]
    [InlineData("4100030405060700", "cid_routed", "fc00::5:1")]
    [InlineData("8003040205060700", "cid_routed", "fc00::5:2")]
    [InlineData("4100830405060700", "unknown_server_id", null)]
    public void An_ipv6_quic_vip_gets_the_stage_s_backend_and_outcome(string cid, string outcome, string? backend)
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0);
        for (int i = 0; i < 20; i++)
        {
            FlowQuic answer = AssertAgreement(ref stage, Convert.FromHexString(cid), $"2001:db8:1::{1 + i:x}", (ushort)(50000 + i), QuicVip6);
            Assert.Equal(outcome, answer.Outcome);
            if (backend is not null)
                Assert.Equal(backend, answer.Backend!.Address);
        }
    }

    [Fact]
    public void The_id_of_a_backend_marked_down_and_of_a_removed_one_is_retired_and_takes_the_stage_s_maglev_choice()
    {
        _runtime.SetHealth(QuicVip, new BackendId(IPAddress.Parse("10.0.5.1"), null), healthy: false); // server id 1024
        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v.Quic && v.Address.Equals(QuicVip.Address)
                ? v with { Backends = v.Backends.Where(b => b.ServerId != 0x030402).ToEquatableArray() }
                : v).ToEquatableArray(),
        }).Applied);
        var stage = new LoadBalancer(_runtime.Snapshots, 0);

        for (int i = 0; i < 40; i++)
        {
            string client = $"203.0.113.{1 + i}";
            ushort port = (ushort)(1024 + 331 * i);
            FlowQuic down = AssertAgreement(ref stage, Convert.FromHexString("4100030405060700"), client, port);
            FlowQuic removed = AssertAgreement(ref stage, Convert.FromHexString("8003040205060700"), client, port);
            Assert.Equal("retired_server_id", down.Outcome);
            Assert.Equal("retired_server_id", removed.Outcome);
            Assert.NotEqual("10.0.5.1", down.Backend!.Address);
            Assert.NotEqual("10.0.5.3", removed.Backend!.Address);
        }
        FlowAnswer answer = Ask(Convert.FromHexString("8003040205060700"), IPAddress.Parse("203.0.113.1"), 1024);
        Assert.Contains("quic: server id 197634 was a removed backend's", answer.Notes);
        answer = Ask(Convert.FromHexString("4100030405060700"), IPAddress.Parse("203.0.113.1"), 1024);
        Assert.Contains("quic: server id 1024 is 10.0.5.1's, which is down", answer.Notes);
    }

    [Fact]
    public void Random_connection_ids_of_8_to_20_bytes_get_the_stage_s_backend_and_outcome()
    {
        _runtime.SetHealth(QuicVip, new BackendId(IPAddress.Parse("10.0.5.2"), null), healthy: false);
        var stage = new LoadBalancer(_runtime.Snapshots, 0);
        var random = new Random(4242);
        byte[][] known = [[0x41, 0x00, 0x03], [0x41, 0x00, 0x83], [0x80, 0x03, 0x04, 0x02], [0xC0, 0x01, 0x02, 0x03, 0x04]];
        var outcomes = new HashSet<string>();
        for (int i = 0; i < 3000; i++)
        {
            var cid = new byte[random.Next(QuicHeader.MinConnectionIdLength, FlowDecision.MaxConnectionIdLength + 1)];
            random.NextBytes(cid);
            if (random.Next(3) == 0)
                known[random.Next(known.Length)].CopyTo(cid, 0);
            IPAddress client = new((uint)random.NextInt64(0x01000000, 0xDFFFFFFF));
            outcomes.Add(AssertAgreement(ref stage, cid, client.ToString(), (ushort)random.Next(1024, 65536)).Outcome);
        }
        Assert.Equal(["cid_routed", "maglev_routed", "retired_server_id", "unknown_server_id"], outcomes.Order().ToArray());
    }

    [Fact]
    public void With_a_connection_table_an_id_routed_packet_is_remembered_and_the_answer_for_an_unknown_id_lists_that_entry()
    {
        var table = new Forwarder.FlowTable.ConnectionTable(new Forwarder.FlowTable.ConnectionTableOptions { Capacity = 1024 });
        QueueConnections[] tables = [new(0, table)];
        var stage = new LoadBalancer(_runtime.Snapshots, 0, table);
        byte[] routed = Convert.FromHexString("4100030405060700"), unknown = Convert.FromHexString("4111000000000000");
        IPAddress client = Enumerable.Range(1, 200).Select(i => IPAddress.Parse($"198.51.100.{i}"))
            .First(c => Ask(unknown, c, 40000).Backend!.Address != "10.0.5.1"); // Maglev picks another backend than id 1024's

        FlowAnswer before = FlowLookup.Answer(_runtime.Published, new FlowQuery(client, 40000, QuicVip.Address, QuicFixtures.Port, VipProtocol.Udp, routed), tables);
        Assert.Equal("10.0.5.1", before.Quic!.Backend!.Address);
        Assert.Contains("quic: a packet routed by its connection id never asks the connection table, and the table then remembers that backend for the flow", before.Notes);
        Assert.Equal(before.Quic.Backend.Id, Send(ref stage, routed, client.ToString(), 40000, QuicVip).Backend);

        FlowAnswer after = FlowLookup.Answer(_runtime.Published, new FlowQuery(client, 40000, QuicVip.Address, QuicFixtures.Port, VipProtocol.Udp, unknown), tables);
        Assert.Equal("unknown_server_id", after.Quic!.Outcome);
        Assert.NotEqual("10.0.5.1", after.Quic.Backend!.Address); // the Maglev choice, as the quic part says
        FlowConnection entry = Assert.Single(after.Connections);
        Assert.Equal("10.0.5.1", entry.NextPacket); // the table keeps the flow where its id sent it, as the note says
        Assert.Contains("quic: a packet without a live server id asks the connection table as any packet does: a live entry listed above keeps it on its backend", after.Notes);
        Assert.Equal(before.Quic.Backend.Id, Send(ref stage, unknown, client.ToString(), 40000, QuicVip).Backend);
    }

    [Fact]
    public void A_quic_vip_that_bypasses_the_connection_table_gets_no_note_about_it()
    {
        string yaml = LoadBalancing.LoadBalancerConfigs.AllVips()
            .Vip(QuicFixtures.Vip, QuicFixtures.Port, "udp", v => v.Quic().FlowTable("bypass").QuicBackend("10.0.5.1", 1024).Backends("10.0.5.5"))
            .ToYaml();
        var runtime = new ForwarderRuntime(TestConfigs.LoadValid(yaml), OwnMac, 1, new FakeSteeringMaps());
        var table = new Forwarder.FlowTable.ConnectionTable(new Forwarder.FlowTable.ConnectionTableOptions { Capacity = 1024 });

        FlowAnswer answer = FlowLookup.Answer(runtime.Published,
            new FlowQuery(IPAddress.Parse("198.51.100.1"), 40000, QuicVip.Address, QuicFixtures.Port, VipProtocol.Udp, Convert.FromHexString("4100030405060700")), [new(0, table)]);

        Assert.Equal("cid_routed", answer.Quic!.Outcome);
        Assert.DoesNotContain(answer.Notes, n => n.StartsWith("quic:", StringComparison.Ordinal) && n.Contains("connection table", StringComparison.Ordinal));
    }

    /// <summary>
    /// Sends a short header carrying <paramref name="cid"/> from the client through the stage and asks the flow
    /// look-up about it: the backends and the outcome agree, and the quic counters the frame raised are the outcome's.
    /// </summary>
    private FlowQuic AssertAgreement(ref LoadBalancer stage, byte[] cid, string client, ushort clientPort, VipIdentity? vip = null)
    {
        VipIdentity target = vip ?? QuicVip;
        FlowAnswer answer = Ask(cid, IPAddress.Parse(client), clientPort, target);
        FlowQuic quic = answer.Quic!;
        (int backend, QuicCounter[] raised) = Send(ref stage, cid, client, clientPort, target);
        string flow = $"{client}:{clientPort} cid {Convert.ToHexString(cid)}";
        Assert.True(quic.Backend?.Id == backend, $"{flow}: the stage chose backend {backend}, the answer {quic.Backend?.Id} ({quic.Outcome})");
        Assert.True(raised.Contains(Enum.Parse<QuicCounter>(ToPascal(quic.Outcome))), $"{flow}: the stage counted {string.Join(", ", raised.Select(QuicCounters.Name))}, the answer says {quic.Outcome}");
        Assert.Contains(Enum.Parse<QuicCounter>($"CidV{quic.CidVersion}"), raised);
        Assert.Equal(Convert.ToHexStringLower(cid), quic.Cid);
        return quic;
    }

    private FlowAnswer Ask(byte[] cid, IPAddress client, ushort clientPort, VipIdentity? vip = null) =>
        FlowLookup.Answer(_runtime.Published, new FlowQuery(client, clientPort, (vip ?? QuicVip).Address, QuicFixtures.Port, VipProtocol.Udp, cid), []);

    /// <summary>Runs the frame through the stage alone: the id of the backend whose counter rose, and the quic counters that rose.</summary>
    private (int Backend, QuicCounter[] Raised) Send(ref LoadBalancer stage, byte[] cid, string client, ushort clientPort, VipIdentity target)
    {
        bool v6 = target.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        FrameBuilder builder = v6 ? FrameBuilder.Ipv6(client, target.Address.ToString()) : FrameBuilder.Ipv4(client, target.Address.ToString());
        byte[] frame = builder.Udp(clientPort, QuicFixtures.Port, QuicFixtures.ShortHeader(cid)).Build();
        ForwardingSnapshot snapshot = _runtime.Snapshots.Current;
        int vip = snapshot.FindVip(WireAddress.FromIPAddress(target.Address), v6 ? IpVersion.V6 : IpVersion.V4, IpProtocol.Udp, BinaryPrimitives.ReverseEndianness(QuicFixtures.Port));
        long[] backendsBefore = snapshot.Counters[0].BackendPackets.ToArray();
        long[] quicBefore = snapshot.Counters[0].Quic.ToArray();

        frame.CopyTo(new Span<byte>(_chunk + 256, frame.Length));
        var batch = new PacketBatch(_chunk, 4096) { Count = 1 };
        batch.Address[0] = 256;
        batch.Length[0] = (uint)frame.Length;
        stage.Process(batch);
        Assert.Equal(DropReason.None, batch.Verdict[0]);

        long[] backends = snapshot.Counters[0].BackendPackets;
        int counter = Enumerable.Range(0, backends.Length).Single(c => backends[c] != backendsBefore[c]);
        long[] quic = snapshot.Counters[0].Quic;
        QuicCounter[] raised = QuicCounters.All.Where(c => quic[vip * QuicCounters.PerVip + (int)c] != quicBefore[vip * QuicCounters.PerVip + (int)c]).ToArray();
        return (Array.FindIndex(snapshot.Vips[vip].Backends, b => b.CounterIndex == counter), raised);
    }

    private static string ToPascal(string snake) => string.Concat(snake.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    public void Dispose() => NativeMemory.AlignedFree(_chunk);
}
