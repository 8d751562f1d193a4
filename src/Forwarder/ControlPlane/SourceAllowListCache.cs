using System.Net;
using System.Net.Sockets;
using Forwarder.Configuration;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.ControlPlane;

/// <summary>
/// The source allow lists of the last build, by content: VIPs with the same prefixes (in any order, repeats
/// ignored) share one <see cref="SourceAllowList"/>, and a list seen in the last build is not built again.
/// A build keeps only the lists its entries use (<see cref="Retain"/>). One builder at a time.
/// </summary>
public sealed class SourceAllowListCache
{
    private Dictionary<string, SourceAllowList> _lists = new(StringComparer.Ordinal);

    /// <summary>The lists held now.</summary>
    public int Count => _lists.Count;

    /// <summary>The list of <paramref name="vip"/>, built or shared; null when the VIP allows every source.</summary>
    public SourceAllowList? For(VipConfig vip)
    {
        if (vip.AllowedSources is not { } prefixes)
            return null;
        IPNetwork[] distinct = prefixes.Distinct().OrderBy(p => p.ToString(), StringComparer.Ordinal).ToArray();
        string key = string.Join(',', distinct);
        if (_lists.TryGetValue(key, out SourceAllowList? shared))
            return shared;
        IpVersion version = vip.Address.AddressFamily == AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;
        var list = SourceAllowList.Build(version, distinct.Select(p => (p.BaseAddress.GetAddressBytes(), p.PrefixLength)).ToArray());
        _lists.Add(key, list);
        return list;
    }

    /// <summary>Forgets every list none of <paramref name="used"/> is.</summary>
    public void Retain(IEnumerable<SourceAllowList?> used)
    {
        var kept = new HashSet<SourceAllowList>(used.OfType<SourceAllowList>(), ReferenceEqualityComparer.Instance);
        _lists = _lists.Where(e => kept.Contains(e.Value)).ToDictionary(StringComparer.Ordinal);
    }
}
