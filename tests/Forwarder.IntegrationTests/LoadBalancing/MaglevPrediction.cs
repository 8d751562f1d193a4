using System.Net;
using System.Runtime.Versioning;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.IntegrationTests.LoadBalancing;

/// <summary>
/// Which backend a flow must reach, computed apart from the running forwarder: Katran's flow hash of
/// the client's address and the two ports, seeded as a Katran built for the ring size seeds it
/// (<c>MAX_VIPS × RING_SIZE</c> = 512 × ring size), looked up in the Maglev v2 table of the backends, all
/// of weight 1 — the defaults the configuration file leaves in place, the ring size 65537 unless given.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MaglevPrediction
{
    private readonly IReadOnlyList<Backend> _backends;
    private readonly MaglevTable _table;

    public MaglevPrediction(IReadOnlyList<Backend> backends, int ringSize = MaglevRingSize.Default)
    {
        _backends = backends;
        MaglevEndpoint[] endpoints = backends.Select((b, id) => MaglevEndpoint.ForAddress(id, b.Address)).ToArray();
        _table = MaglevBuilder.Build(endpoints, MaglevVersion.V2, ringSize) ?? throw new InvalidOperationException("no Maglev table for the backends");
    }

    public Backend BackendOf(IPAddress client, int clientPort, int vipPort)
    {
        uint seed = 512u * (uint)_table.RingSize; // Katran's INIT_JHASH_SEED for its RING_SIZE
        uint hash = FlowHash.HashV4(FlowHash.SourceWordV4(client.GetAddressBytes()), FlowHash.PortsWord((ushort)clientPort, (ushort)vipPort), seed);
        return _backends[_table.Lookup(hash)];
    }
}
