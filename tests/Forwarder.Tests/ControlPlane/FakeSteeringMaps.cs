using System.Runtime.Versioning;
using Forwarder.DataPlane;
using Forwarder.Hosting;
using Forwarder.Steering;

namespace Forwarder.Tests.ControlPlane;

/// <summary>Steering maps in memory that record, for every update, which snapshot version the workers saw at that moment.</summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeSteeringMaps : ISteeringMaps
{
    public readonly HashSet<VipMapKey> Vips = [];
    public readonly HashSet<VipMapKey> NatSources = [];
    public readonly List<(string Operation, long SnapshotVersion)> Log = [];
    public Func<SnapshotSource?>? Snapshots;
    public Func<VipMapKey, bool>? FailOnAdd;

    public void AddVip(VipMapKey key)
    {
        if (FailOnAdd?.Invoke(key) == true)
            throw new InvalidOperationException("map full");
        Record("add");
        Vips.Add(key);
    }

    public void RemoveVip(VipMapKey key)
    {
        Record("remove");
        Vips.Remove(key);
    }

    public void AddNatSource(VipMapKey key)
    {
        Record("add-nat");
        NatSources.Add(key);
    }

    public void RemoveNatSource(VipMapKey key)
    {
        Record("remove-nat");
        NatSources.Remove(key);
    }

    private void Record(string operation) => Log.Add((operation, Snapshots?.Invoke()?.Current.Version ?? 0));
}
