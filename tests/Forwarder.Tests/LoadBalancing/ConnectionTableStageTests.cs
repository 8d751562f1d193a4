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
/// With a connection table, established connections keep their backend across drains and additions,
/// move at once when their backend is down or gone, and a SYN always takes the current table; without
/// one, the stage is purely stateless.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class ConnectionTableStageTests : IDisposable
{
    private static readonly string Config = ConfigBuilder.Standard().ToYaml();

    private static readonly VipIdentity Vip = new(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
    private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
    private readonly ForwarderRuntime _runtime = new(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());

    private IPAddress Send(ref LoadBalancer stage, ushort clientPort, TcpFlags flags)
    {
        byte[] output = SingleFrame.Forward(ref stage, _area, FrameBuilder.Ipv4("192.168.1.1", "10.100.0.1").Tcp(clientPort, 80, flags).Build());
        return new IPAddress(output.AsSpan(30, 4)); // ipip outer destination
    }

    private ChangeResult SetWeight(string backend, uint weight) => _runtime.Edit(c => c with
    {
        Vips = c.Vips.Select(v => v with { Backends = v.Backends.Select(b => b.Address.ToString() == backend ? b with { Weight = weight } : b).ToEquatableArray() }).ToEquatableArray(),
    });

    private static ConnectionTable Table() => new(new ConnectionTableOptions { Capacity = 1024 });

    /// <summary>A client port whose flow the current table sends to <paramref name="backend"/>.</summary>
    private ushort PortGoingTo(ref LoadBalancer stateless, string backend)
    {
        for (ushort port = 10000; port < 11000; port++)
        {
            if (Send(ref stateless, port, TcpFlags.Syn).ToString() == backend)
                return port;
        }
        throw new InvalidOperationException($"no port to {backend}");
    }

    [Fact]
    public void A_drained_backend_keeps_its_connections_and_gets_no_new_ones()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        var stateless = new LoadBalancer(_runtime.Snapshots, 0);
        ushort port = PortGoingTo(ref stateless, "10.0.0.2");
        Assert.Equal("10.0.0.2", Send(ref stage, port, TcpFlags.Syn).ToString());

        Assert.True(SetWeight("10.0.0.2", 0).Applied);

        Assert.Equal("10.0.0.2", Send(ref stage, port, TcpFlags.Ack).ToString());      // established: stays
        Assert.NotEqual("10.0.0.2", Send(ref stateless, port, TcpFlags.Ack).ToString()); // stateless: moves
        Assert.NotEqual("10.0.0.2", Send(ref stage, port, TcpFlags.Syn).ToString());     // a new connection: current table
    }

    [Fact]
    public void Connections_of_a_backend_marked_down_move_at_once()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        var stateless = new LoadBalancer(_runtime.Snapshots, 0);
        ushort port = PortGoingTo(ref stateless, "10.0.0.3");
        Send(ref stage, port, TcpFlags.Syn);

        _runtime.SetHealth(Vip, new BackendId(IPAddress.Parse("10.0.0.3"), null), healthy: false);

        Assert.NotEqual("10.0.0.3", Send(ref stage, port, TcpFlags.Ack).ToString());
    }

    [Fact]
    public void An_added_backend_moves_no_established_connection()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        var before = new Dictionary<ushort, string>();
        for (ushort port = 20000; port < 20300; port++)
            before[port] = Send(ref stage, port, TcpFlags.Syn).ToString();

        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Append(new BackendConfig { Address = IPAddress.Parse("10.0.0.4") }).ToEquatableArray() }).ToEquatableArray(),
        }).Applied);

        var stateless = new LoadBalancer(_runtime.Snapshots, 0);
        int wouldMove = before.Count(p => Send(ref stateless, p.Key, TcpFlags.Ack).ToString() != p.Value);
        Assert.True(wouldMove > 30, $"only {wouldMove} of 300 flows would move without the table");
        Assert.All(before, p => Assert.Equal(p.Value, Send(ref stage, p.Key, TcpFlags.Ack).ToString()));
    }

    [Fact]
    public void A_removed_backends_connections_move()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        var stateless = new LoadBalancer(_runtime.Snapshots, 0);
        ushort port = PortGoingTo(ref stateless, "10.0.0.1");
        Send(ref stage, port, TcpFlags.Syn);

        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with { Backends = v.Backends.Where(b => b.Address.ToString() != "10.0.0.1").ToEquatableArray() }).ToEquatableArray(),
        }).Applied);

        Assert.NotEqual("10.0.0.1", Send(ref stage, port, TcpFlags.Ack).ToString());
    }

    public void Dispose() => NativeMemory.AlignedFree(_area);
}
