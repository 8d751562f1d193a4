using System.Net;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// Which backend a flow must reach, computed apart from the running forwarder: Katran's flow hash of
/// the client's address and the two ports, seeded for the ring (512 × ring size), looked up in the
/// Maglev (v2, 65537 slots) table of the backends, all of weight 1 — the defaults the configuration
/// file leaves in place.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MaglevPrediction
{
    private readonly IReadOnlyList<Backend> _backends;
    private readonly MaglevTable _table;

    public MaglevPrediction(IReadOnlyList<Backend> backends)
    {
        _backends = backends;
        MaglevEndpoint[] endpoints = backends.Select((b, id) => MaglevEndpoint.ForAddress(id, b.Address)).ToArray();
        _table = MaglevBuilder.Build(endpoints) ?? throw new InvalidOperationException("no Maglev table for the backends");
    }

    public Backend BackendOf(IPAddress client, int clientPort, int vipPort)
    {
        uint hash = FlowHash.HashV4(FlowHash.SourceWordV4(client.GetAddressBytes()), FlowHash.PortsWord((ushort)clientPort, (ushort)vipPort),
            FlowHash.SeedFor(_table.RingSize));
        return _backends[_table.Lookup(hash)];
    }
}
