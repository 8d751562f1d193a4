
namespace Forwarder.Steering;

/// <summary>The XDP program's maps that decide which packets reach the workers (see bpf/redirect.c).</summary>
public interface ISteeringMaps
{
    /// <summary>Packets to this destination (address, port, protocol) are steered to the workers.</summary>
    void AddVip(VipMapKey key);

    void RemoveVip(VipMapKey key);

    /// <summary>Packets from this source (a nat backend) are steered to the workers.</summary>
    void AddNatSource(VipMapKey key);

    void RemoveNatSource(VipMapKey key);
}
