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
using Forwarder.Tests.Packets;

namespace Forwarder.Tests.LoadBalancing;

/// <summary>
/// The connection table's guards in the stage: a bypass VIP never touches the table, SYN and non-SYN misses are
/// counted apart, the per-second limit forwards the excess by Maglev alone, and a purge moves the backend's
/// connections to the Maglev choice at once.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class ConnectionGuardStageTests : IDisposable
{
    private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(4096, 4096);

    private static ForwarderRuntime Runtime(VipFlowTable use = VipFlowTable.Remember)
    {
        ForwarderConfig config = TestConfigs.LoadValid(ConfigBuilder.Standard().ToYaml());
        config = config with { Vips = config.Vips.Select(v => v with { FlowTable = use }).ToEquatableArray() };
        return new ForwarderRuntime(config, LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());
    }

    private string Send(ref LoadBalancer stage, ushort clientPort, TcpFlags flags)
    {
        byte[] output = SingleFrame.Forward(ref stage, _area, FrameBuilder.Ipv4("192.168.1.1", "10.100.0.1").Tcp(clientPort, 80, flags).Build());
        return new IPAddress(output.AsSpan(30, 4)).ToString(); // ipip outer destination
    }

    private static ConnectionTable Table(long maxNewPerSecond = 0) =>
        new(new ConnectionTableOptions { Capacity = 1024, MaxNewPerSecond = maxNewPerSecond });

    [Fact]
    public void A_bypass_vip_never_looks_up_nor_remembers()
    {
        ForwarderRuntime runtime = Runtime(VipFlowTable.Bypass);
        ConnectionTable table = Table();
        var stage = new LoadBalancer(runtime.Snapshots, 0, table);
        for (ushort port = 30000; port < 30050; port++)
        {
            Send(ref stage, port, TcpFlags.Syn);
            Send(ref stage, port, TcpFlags.Ack);
        }
        Assert.Equal((0, 0, 0), (table.Count, table.Hits, table.Misses));
        Assert.Equal((0, 0), (table.SynMisses, table.NonSynMisses));
        Assert.Equal(0, table.NewEntries.Refused);
    }

    [Fact]
    public void Syn_and_non_syn_misses_are_counted_apart()
    {
        ForwarderRuntime runtime = Runtime();
        ConnectionTable table = Table();
        var stage = new LoadBalancer(runtime.Snapshots, 0, table);
        Send(ref stage, 40000, TcpFlags.Syn);  // a new connection
        Send(ref stage, 40000, TcpFlags.Ack);  // a hit
        Send(ref stage, 40001, TcpFlags.Ack);  // a connection not seen starting
        Send(ref stage, 40002, TcpFlags.Ack | TcpFlags.Psh);
        Send(ref stage, 40002, TcpFlags.Ack);  // remembered by now: a hit
        Assert.Equal((1, 2), (table.SynMisses, table.NonSynMisses));
        Assert.Equal((2, 2), (table.Hits, table.Misses));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void Beyond_the_limit_new_flows_go_by_maglev_alone_and_are_counted()
    {
        ForwarderRuntime runtime = Runtime();
        ConnectionTable table = Table(maxNewPerSecond: 5);
        var stage = new LoadBalancer(runtime.Snapshots, 0, table);
        var stateless = new LoadBalancer(runtime.Snapshots, 0);
        // All within one second of the batch clock (the test takes far less than a second per send, and
        // even a slow machine crossing into the next window refuses no more than it remembers).
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (ushort port = 41000; port < 41020; port++)
            Assert.Equal(Send(ref stateless, port, TcpFlags.Syn), Send(ref stage, port, TcpFlags.Syn));
        if (started.ElapsedMilliseconds < 900)
        {
            Assert.Equal(5, table.Count);
            Assert.Equal(15, table.NewEntries.Refused);
        }
        Assert.Equal(20, table.Count + table.NewEntries.Refused);
        Assert.Equal(20, table.SynMisses);
    }

    [Fact]
    public void A_syn_beyond_the_limit_forgets_an_old_connections_entry_of_its_5_tuple()
    {
        ForwarderRuntime runtime = Runtime();
        ConnectionTable table = Table(maxNewPerSecond: 1);
        var stage = new LoadBalancer(runtime.Snapshots, 0, table);
        var stateless = new LoadBalancer(runtime.Snapshots, 0);
        const ushort port = 43000;
        string maglev = Send(ref stateless, port, TcpFlags.Syn);
        string other = new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" }.First(b => b != maglev);
        // An earlier connection of the same 5-tuple, remembered on another backend (as before a weight change).
        var key = new FlowKey(WireAddress.FromIPAddress(IPAddress.Parse("192.168.1.1")), WireAddress.FromIPAddress(IPAddress.Parse("10.100.0.1")),
            FlowTable.TestFlows.PortsWord(port, 80), IpProtocol.Tcp, IpVersion.V4);
        table.Set(key, WireAddress.FromIPAddress(IPAddress.Parse(other)), IpVersion.V4, FlowClock.Now());
        Send(ref stage, 43001, TcpFlags.Syn); // spends the second's budget of one

        Assert.Equal(maglev, Send(ref stage, port, TcpFlags.Syn)); // not remembered: the limit
        Assert.Equal(maglev, Send(ref stage, port, TcpFlags.Ack)); // and not sent after the old entry either
        Assert.True(table.NewEntries.Refused >= 1);
    }

    [Fact]
    public void A_purge_moves_the_backends_connections_to_the_maglev_choice_at_once()
    {
        ForwarderRuntime runtime = Runtime();
        ConnectionTable table = Table();
        var stage = new LoadBalancer(runtime.Snapshots, 0, table);
        var stateless = new LoadBalancer(runtime.Snapshots, 0);
        var pinned = new List<ushort>();
        for (ushort port = 42000; pinned.Count < 5 && port < 43000; port++)
        {
            if (Send(ref stateless, port, TcpFlags.Syn) == "10.0.0.2")
            {
                Send(ref stage, port, TcpFlags.Syn);
                pinned.Add(port);
            }
        }
        Assert.Equal(5, pinned.Count);
        // Drained: the table keeps them on 10.0.0.2.
        Assert.True(runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Select(b => b.Address.ToString() == "10.0.0.2" ? b with { Weight = 0 } : b).ToEquatableArray() }).ToEquatableArray(),
        }).Applied);
        Assert.All(pinned, port => Assert.Equal("10.0.0.2", Send(ref stage, port, TcpFlags.Ack)));

        var purge = new PurgeRequest(WireAddress.FromIPAddress(IPAddress.Parse("10.0.0.2")), IpVersion.V4);
        Assert.True(table.Requests.TryPost(purge));
        Assert.All(pinned, port =>
        {
            Assert.Equal(Send(ref stateless, port, TcpFlags.Ack), Send(ref stage, port, TcpFlags.Ack));
            Assert.NotEqual("10.0.0.2", Send(ref stage, port, TcpFlags.Ack));
        });
        Assert.True(purge.Done); // a table of 1024 entries is one slice
        Assert.Equal(5, purge.Removed);
        Assert.Equal(5, table.Count);
    }

    public void Dispose() => NativeMemory.AlignedFree(_area);
}
