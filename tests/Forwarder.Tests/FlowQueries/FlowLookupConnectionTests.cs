using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.FlowTable;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;
using Forwarder.Tests.ControlPlane;
using Forwarder.Tests.LoadBalancing;
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.FlowQueries;

/// <summary>
/// With connection tables, the answer reports each worker's entry for the flow, and its "next packet" is where
/// the stage actually sends the flow's next packet — after drains and health changes too — while reading the
/// tables changes nothing in them.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class FlowLookupConnectionTests : IDisposable
{
    private static readonly string Config = ConfigBuilder.Standard(v => v.Backend("10.0.0.4")).ToYaml();

    private static readonly VipIdentity Vip = new(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
    private readonly byte* _chunk = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
    private readonly ForwarderRuntime _runtime = new(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 2, new FakeSteeringMaps());
    private readonly ConnectionTable _table0 = new(new ConnectionTableOptions { Capacity = 4096 });
    private readonly ConnectionTable _table1 = new(new ConnectionTableOptions { Capacity = 4096 });

    private QueueConnections[] Tables => [new(0, _table0), new(5, _table1)];

    private string Send(ref LoadBalancer stage, ushort clientPort, TcpFlags flags)
    {
        byte[] output = SingleFrame.Forward(ref stage, _chunk, FrameBuilder.Ipv4("192.168.1.1", "10.100.0.1").Tcp(clientPort, 80, flags).Build());
        return new IPAddress(output.AsSpan(30, 4)).ToString(); // ipip outer destination
    }

    private FlowAnswer Ask(ushort clientPort) =>
        FlowLookup.Answer(_runtime.Published, new Forwarder.ControlPlane.FlowQuery(IPAddress.Parse("192.168.1.1"), clientPort, IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp), Tables);

    [Fact]
    public void Entries_are_found_in_the_worker_that_holds_them_and_the_next_packet_goes_where_the_answer_says()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 1, _table1); // worker 1 serves queue 5
        const ushort first = 30000, count = 300;
        for (ushort port = first; port < first + count; port++)
            Send(ref stage, port, TcpFlags.Syn);

        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Select(b => b.Address.ToString() == "10.0.0.2" ? b with { Weight = 0 } : b).ToEquatableArray() }).ToEquatableArray(),
        }).Applied);
        _runtime.SetHealth(Vip, new BackendId(IPAddress.Parse("10.0.0.3"), null), healthy: false);
        (long hits, long misses, long entries) = (_table1.Hits, _table1.Misses, _table1.Count);

        var answers = new Dictionary<ushort, FlowAnswer>();
        for (ushort port = first; port < first + count; port++)
            answers[port] = Ask(port);
        Assert.Equal((hits, misses, entries), (_table1.Hits, _table1.Misses, _table1.Count)); // reading changed nothing

        int kept = 0, moved = 0;
        foreach ((ushort port, FlowAnswer answer) in answers)
        {
            FlowConnection connection = Assert.Single(answer.Connections);
            Assert.Equal(5, connection.Queue);
            Assert.Equal("live", connection.State);
            Assert.Equal(Send(ref stage, port, TcpFlags.Ack), connection.NextPacket);
            if (connection.Remembered!.EndsWith("(no longer configured, or down)", StringComparison.Ordinal))
                moved++;
            else
                kept++;
        }
        Assert.True(kept > 100 && moved > 20, $"kept {kept}, moved {moved}: the flows should cover a drained and a down backend");
        Assert.Contains(answers.Values, a => a.Connections[0].NextPacket == "10.0.0.2"); // drained: keeps its connections
        Assert.DoesNotContain(answers.Values, a => a.Connections[0].NextPacket == "10.0.0.3"); // down: keeps none
    }

    [Fact]
    public void A_flow_no_table_remembers_has_no_entry_and_a_stateless_forwarder_says_so()
    {
        FlowAnswer answer = Ask(40000);
        Assert.Empty(answer.Connections);
        Assert.Equal(2, answer.ConnectionTables);

        FlowAnswer stateless = FlowLookup.Answer(_runtime.Published,
            new Forwarder.ControlPlane.FlowQuery(IPAddress.Parse("192.168.1.1"), 40000, IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp), []);
        Assert.Equal(0, stateless.ConnectionTables);
        Assert.Equal(answer.Backend, stateless.Backend);
        Assert.StartsWith("any", stateless.Queue);
        Assert.StartsWith("not knowable here", answer.Queue);

        FlowAnswer oneQueue = FlowLookup.Answer(_runtime.Published,
            new Forwarder.ControlPlane.FlowQuery(IPAddress.Parse("192.168.1.1"), 40000, IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp), [new(3, _table0)]);
        Assert.Equal("3, the only queue served", oneQueue.Queue);
    }

    public void Dispose() => NativeMemory.AlignedFree(_chunk);
}
