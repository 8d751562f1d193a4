using System.Buffers.Binary;
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
/// A nat VIP that lists one address with two ports has two backends: the connection table remembers
/// the port with the address, so an established connection goes back to exactly its backend after
/// any table change, and one of the two marked down leaves the other's connections where they are.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class NatPortConnectionTableTests : IDisposable
{
    private static readonly string Config = ConfigBuilder.WithoutVips()
        .Vip("10.100.0.1", 80, "tcp", v => v.Mode("nat").Backend("10.0.0.1", port: 8080).Backend("10.0.0.1", port: 8081))
        .ToYaml();

    private static readonly VipIdentity Vip = new(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
    private static readonly BackendId On8080 = new(IPAddress.Parse("10.0.0.1"), 8080);
    private static readonly BackendId On8081 = new(IPAddress.Parse("10.0.0.1"), 8081);
    private readonly byte* _area = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
    private readonly ForwarderRuntime _runtime = new(TestConfigs.LoadValid(Config), LoadBalancerConfigs.OwnMac, 1, new FakeSteeringMaps());

    /// <summary>Sends one client packet to the VIP; gives the backend it was rewritten to.</summary>
    private BackendId Send(ref LoadBalancer stage, ushort clientPort, TcpFlags flags)
    {
        byte[] output = SingleFrame.Forward(ref stage, _area, FrameBuilder.Ipv4("192.168.1.1", "10.100.0.1").Tcp(clientPort, 80, flags).Build());
        return new BackendId(new IPAddress(output.AsSpan(30, 4)), BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(36, 2))); // nat destination address and port
    }

    private static ConnectionTable Table() => new(new ConnectionTableOptions { Capacity = 1024 });

    /// <summary>SYNs from client ports 30000 on until some reach each backend; the backend of each.</summary>
    private Dictionary<ushort, BackendId> Connect(ref LoadBalancer stage, int count = 200)
    {
        var connections = new Dictionary<ushort, BackendId>();
        for (ushort port = 30000; port < 30000 + count; port++)
            connections[port] = Send(ref stage, port, TcpFlags.Syn);
        Assert.Contains(On8080, connections.Values);
        Assert.Contains(On8081, connections.Values);
        return connections;
    }

    private ChangeResult SetWeight(BackendId backend, uint weight) => _runtime.Edit(c => c with
    {
        Vips = c.Vips.Select(v => v with { Backends = v.Backends.Select(b => b.Id == backend ? b with { Weight = weight } : b).ToEquatableArray() }).ToEquatableArray(),
    });

    [Fact]
    public void Established_connections_keep_their_port_across_an_addition()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        Dictionary<ushort, BackendId> before = Connect(ref stage);
        Assert.All(before, c => Assert.Equal(c.Value, Send(ref stage, c.Key, TcpFlags.Ack))); // before any change too

        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with
            {
                Backends = v.Backends.Append(new BackendConfig { Address = IPAddress.Parse("10.0.0.1"), Port = 8082 }).ToEquatableArray(),
            }).ToEquatableArray(),
        }).Applied);

        var stateless = new LoadBalancer(_runtime.Snapshots, 0);
        int wouldMove = before.Count(c => Send(ref stateless, c.Key, TcpFlags.Ack) != c.Value);
        Assert.True(wouldMove > 20, $"only {wouldMove} of {before.Count} flows would move without the table");
        Assert.All(before, c => Assert.Equal(c.Value, Send(ref stage, c.Key, TcpFlags.Ack)));
    }

    [Fact]
    public void Draining_one_port_keeps_its_connections_there_and_the_other_port_s_where_they_are()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        Dictionary<ushort, BackendId> before = Connect(ref stage);

        Assert.True(SetWeight(On8081, 0).Applied);

        Assert.All(before, c => Assert.Equal(c.Value, Send(ref stage, c.Key, TcpFlags.Ack)));
        Assert.All(before, c => Assert.Equal(On8080, Send(ref stage, c.Key, TcpFlags.Syn))); // new connections: 8080 only
    }

    [Fact]
    public void One_port_marked_down_moves_only_its_own_connections()
    {
        var stage = new LoadBalancer(_runtime.Snapshots, 0, Table());
        Dictionary<ushort, BackendId> before = Connect(ref stage);
        // A third backend first, so that many of 8081's connections stay there only because the table remembers their port.
        Assert.True(_runtime.Edit(c => c with
        {
            Vips = c.Vips.Select(v => v with
            {
                Backends = v.Backends.Append(new BackendConfig { Address = IPAddress.Parse("10.0.0.2"), Port = 8080 }).ToEquatableArray(),
            }).ToEquatableArray(),
        }).Applied);

        _runtime.SetHealth(Vip, On8080, healthy: false);

        Assert.Equal([(Vip, On8080)], _runtime.DownBackends);
        ConfiguredVip configured = _runtime.Published.Vips[0];
        VipEntry entry = configured.Entry;
        Assert.False(entry.Backends[configured.Backends.ToList().FindIndex(b => b.Id == On8081)].Down);
        KeyValuePair<ushort, BackendId>[] on8081 = [.. before.Where(c => c.Value == On8081)];
        var stateless = new LoadBalancer(_runtime.Snapshots, 0);
        int wouldMove = on8081.Count(c => Send(ref stateless, c.Key, TcpFlags.Ack) != On8081);
        Assert.True(wouldMove > 5, $"only {wouldMove} of 8081's {on8081.Length} connections would move without the table");
        Assert.All(before, c =>
        {
            BackendId now = Send(ref stage, c.Key, TcpFlags.Ack);
            if (c.Value == On8081)
                Assert.Equal(On8081, now); // stayed, remembered with its port
            else
                Assert.NotEqual(On8080, now); // moved off the port that is down
        });
    }

    public void Dispose() => NativeMemory.AlignedFree(_area);
}
