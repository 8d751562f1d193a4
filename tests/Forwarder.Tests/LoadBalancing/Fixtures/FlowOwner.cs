using System.Collections.Concurrent;
using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Tests.Hashing;
using Forwarder.Maglev;

namespace Forwarder.Tests.LoadBalancing.Fixtures;

/// <summary>
/// The backend a client flow belongs to, worked out by Katran's rules without the data path: the flow
/// hash of the client address and the two ports as Katran's hash flags leave them (<see cref="ReferenceVipHash"/>) seeded with 512 × the VIP's ring size (<see cref="ReferenceFlowHash"/>,
/// not the product's hashing code), ring index = hash % ring size, the VIP's Maglev slot at that index
/// names a backend id, and ids number the backends sorted by address.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class FlowOwner
{
    private static readonly ConcurrentDictionary<(FixtureConfig, int), VipTable> Tables = new();

    /// <summary>The backend of the flow client:clientPort → VIP <paramref name="vip"/>:vipPort, and the flow's hash.</summary>
    public static (BackendConfig Backend, uint Hash) Of(FixtureConfig config, int vip, string client, ushort clientPort, ushort vipPort)
    {
        VipConfig vipConfig = FixtureConfigs.Vip(config, vip);
        byte[] address = IPAddress.Parse(client).GetAddressBytes();

        VipTable table = Tables.GetOrAdd((config, vip), _ => VipTable.Build(vipConfig));
        MaglevTable ring = table.Table ?? throw new InvalidOperationException($"VIP {vipConfig.Address} has no backend to own a flow");
        uint hash = ReferenceVipHash.Of(address, clientPort, vipPort, ring.RingSize, vipConfig.Port == 0, ReferenceVipHash.KatranFlags(vipConfig.Flags));
        int id = ring.Slots[(int)(hash % (uint)ring.RingSize)];
        return (table.Backends[id], hash);
    }

    /// <summary>The first client port from <paramref name="from"/> on whose flow belongs to <paramref name="backend"/>.</summary>
    public static ushort ClientPortTo(FixtureConfig config, int vip, string client, ushort vipPort, string backend, ushort from = 40000)
    {
        IPAddress wanted = IPAddress.Parse(backend);
        for (int port = from; port <= ushort.MaxValue; port++)
        {
            if (Of(config, vip, client, (ushort)port, vipPort).Backend.Address.Equals(wanted))
                return (ushort)port;
        }
        throw new InvalidOperationException($"no client port from {from} on sends {client} to {backend}");
    }
}
