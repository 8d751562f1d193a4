using Forwarder.Configuration;
using Forwarder.Hosting;

namespace Forwarder.ControlPlane;

/// <summary>Every key a configuration puts in the XDP program's maps; two sets diff into the map updates of a change.</summary>
public sealed record SteeringKeys(IReadOnlySet<VipMapKey> Vips, IReadOnlySet<VipMapKey> NatSources)
{
    public static readonly SteeringKeys None = new(new HashSet<VipMapKey>(), new HashSet<VipMapKey>());

    public static SteeringKeys Of(ForwarderConfig config) => new(
        config.Vips.SelectMany(v => ForwarderConfigMapping.ToVipSpec(v).MapKeys()).ToHashSet(),
        ForwarderConfigMapping.NatSourceKeys(config).ToHashSet());

    /// <summary>Adds what <paramref name="next"/> has and this lacks. Done before a new snapshot is published, so its VIPs' packets already arrive.</summary>
    public void AddMissing(SteeringKeys next, ISteeringMaps maps)
    {
        foreach (VipMapKey key in next.Vips.Where(k => !Vips.Contains(k)))
            maps.AddVip(key);
        foreach (VipMapKey key in next.NatSources.Where(k => !NatSources.Contains(k)))
            maps.AddNatSource(key);
    }

    /// <summary>Removes what this has and <paramref name="next"/> lacks. Done after the new snapshot is published.</summary>
    public void RemoveStale(SteeringKeys next, ISteeringMaps maps)
    {
        foreach (VipMapKey key in Vips.Where(k => !next.Vips.Contains(k)))
            maps.RemoveVip(key);
        foreach (VipMapKey key in NatSources.Where(k => !next.NatSources.Contains(k)))
            maps.RemoveNatSource(key);
    }
}
