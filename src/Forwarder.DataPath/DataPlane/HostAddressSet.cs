using System.Net;
using System.Runtime.CompilerServices;
using Forwarder.Packets;

namespace Forwarder.DataPlane;

/// <summary>
/// This host's own addresses, immutable, for the data path: a packet from a <c>nat</c> backend to one of them
/// answers the host itself and is never rewritten as a reply to a client. Built by the control plane whenever
/// the addresses change; a lookup touches one or two slots and never allocates.
/// </summary>
public sealed class HostAddressSet
{
    private readonly VipKeyTable _table;

    private HostAddressSet(VipKeyTable table) => _table = table;

    public static readonly HostAddressSet Empty = new(VipKeyTable.Empty);

    public static HostAddressSet Of(IEnumerable<IPAddress> addresses) => new(new VipKeyTable(
        addresses.Select(a => new VipKey(WireAddress.FromIPAddress(a), VersionOf(a), 0, 0)).Distinct()
            .Select(key => KeyValuePair.Create(key, 0)).ToArray()));

    public int Count => _table.Count;

    private static IpVersion VersionOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(in WireAddress address, IpVersion version) => _table.Find(new VipKey(address, version, 0, 0)) >= 0;
}
