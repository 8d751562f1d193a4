using System.Net;
using Forwarder.Configuration;
using Forwarder.Maglev;

namespace Forwarder.ControlPlane;

/// <summary>
/// A VIP's Maglev table and the backends its slots name. Backend ids are positions in the backends
/// sorted by address, then port (a nat VIP may list one address with several ports), so the table — and its digest — depend only on the configuration's content,
/// never on the order the backends are listed in: every node of an ECMP group computes the same one.
/// </summary>
public sealed record VipTable(VipConfig Vip, IReadOnlyList<BackendConfig> Backends, MaglevTable? Table)
{
    /// <summary>The digest operators compare across nodes; "none" when no backend has weight.</summary>
    public string Digest => Table?.Digest ?? "none";

    public static VipTable Build(VipConfig vip)
    {
        BackendConfig[] backends = vip.Backends.OrderBy(b => b.Address, AddressOrder.Instance).ThenBy(b => b.Port ?? 0).ToArray();
        var endpoints = new MaglevEndpoint[backends.Length];
        for (int id = 0; id < backends.Length; id++)
            endpoints[id] = MaglevEndpoint.ForAddress(id, backends[id].Address, backends[id].Weight);
        MaglevTable? table = MaglevBuilder.Build(endpoints, vip.Maglev.Version, vip.Maglev.RingSize);
        return new VipTable(vip, backends, table);
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
