using System.Net;
using Forwarder.Configuration;
using Forwarder.Maglev;

namespace Forwarder.ControlPlane;

/// <summary>
/// What a VIP's Maglev table is built from: its backends sorted by address, then port (a backend's id in
/// the table is its position here), and the table's key (endpoints, version, ring size). The order the
/// configuration lists backends in changes neither, so every node of an ECMP group computes the same table.
/// </summary>
public sealed record VipTableInputs(IReadOnlyList<BackendConfig> Backends, MaglevTableKey Key)
{
    public static VipTableInputs Of(VipConfig vip)
    {
        BackendConfig[] backends = vip.Backends.OrderBy(b => b.Address, AddressOrder.Instance).ThenBy(b => b.Port ?? 0).ToArray();
        var endpoints = new MaglevEndpoint[backends.Length];
        for (int id = 0; id < backends.Length; id++)
            endpoints[id] = MaglevEndpoint.ForAddress(id, backends[id].Address, backends[id].Weight);
        return new VipTableInputs(backends, new MaglevTableKey(endpoints, vip.Maglev.Version, vip.Maglev.RingSize));
    }

    /// <summary>IPv4 before IPv6, then by address bytes.</summary>
    private sealed class AddressOrder : IComparer<IPAddress>
    {
        public static readonly AddressOrder Instance = new();

        public int Compare(IPAddress? x, IPAddress? y)
        {
            byte[] a = x!.GetAddressBytes(), b = y!.GetAddressBytes();
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
        }
    }
}
