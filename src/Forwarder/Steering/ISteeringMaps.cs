
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

    /// <summary>
    /// Makes the adds and removes since the last flush take effect, together (redirect.c's tables are rebuilt once per
    /// change, not per key). Maps that apply each update at once have nothing to do.
    /// </summary>
    void Flush()
    {
    }
}
