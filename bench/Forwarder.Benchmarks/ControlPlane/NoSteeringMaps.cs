using Forwarder.Steering;

namespace Forwarder.Benchmarks.ControlPlane;

/// <summary>Steering maps that accept every key: the control plane's own cost, without the kernel's.</summary>
internal sealed class NoSteeringMaps : ISteeringMaps
{
    public void AddVip(VipMapKey key) { }

    public void RemoveVip(VipMapKey key) { }

    public void AddNatSource(VipMapKey key) { }

    public void RemoveNatSource(VipMapKey key) { }
}
