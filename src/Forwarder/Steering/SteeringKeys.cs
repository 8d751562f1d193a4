using System.Net.Sockets;
using Forwarder.Configuration;
using Forwarder.Packets;

namespace Forwarder.Steering;

/// <summary>Every key a configuration puts in the XDP program's maps; two sets diff into the map updates of a change.</summary>
public sealed record SteeringKeys(IReadOnlySet<VipMapKey> Vips, IReadOnlySet<VipMapKey> NatSources)
{
    public static readonly SteeringKeys None = new(new HashSet<VipMapKey>(), new HashSet<VipMapKey>());

    public static SteeringKeys Of(ForwarderConfig config) => new(
        config.Vips.SelectMany(v => VipSpec.Of(v).MapKeys()).ToHashSet(),
        NatSourceKeys(config));

    /// <summary>
    /// The sources redirect.c must steer as nat replies: each nat backend's (address, port, protocol) —
    /// the backend's port or the VIP's — and its address-level entry for the ICMP errors it sends.
    /// </summary>
    private static HashSet<VipMapKey> NatSourceKeys(ForwarderConfig config)
    {
        var keys = new HashSet<VipMapKey>();
        foreach (VipConfig vip in config.Vips.Where(v => v.Mode == ForwardingMode.Nat))
        {
            foreach (BackendConfig backend in vip.Backends)
            {
                foreach (ProtocolType protocol in VipSpec.Of(vip).Protocols)
                    keys.Add(VipMapKey.Create(backend.Address, backend.Port ?? vip.Port, protocol));
                keys.Add(VipMapKey.ForAddress(backend.Address));
            }
        }
        return keys;
    }

    /// <summary>Adds what <paramref name="next"/> has and this lacks. Done before a new snapshot is published, so its VIPs' packets already arrive.</summary>
    public void AddMissing(SteeringKeys next, ISteeringMaps maps)
    {
        foreach (VipMapKey key in next.Vips.Where(k => !Vips.Contains(k)))
            maps.AddVip(key);
        foreach (VipMapKey key in next.NatSources.Where(k => !NatSources.Contains(k)))
            maps.AddNatSource(key);
        maps.Flush();
    }

    /// <summary>Removes what this has and <paramref name="next"/> lacks. Done after the new snapshot is published.</summary>
    public void RemoveStale(SteeringKeys next, ISteeringMaps maps)
    {
        foreach (VipMapKey key in Vips.Where(k => !next.Vips.Contains(k)))
            maps.RemoveVip(key);
        foreach (VipMapKey key in NatSources.Where(k => !next.NatSources.Contains(k)))
            maps.RemoveNatSource(key);
        maps.Flush();
    }
}
