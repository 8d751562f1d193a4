using Forwarder.DataPlane;

namespace Forwarder.Configuration;

/// <summary>
/// The memory a configuration's forwarding tables need, estimated in one place: what
/// <c>limits.table_memory</c> bounds, what <c>forwarder check</c> prints, and what keeps a small file
/// from asking for gigabytes (50 VIPs of their own backends with the largest ring size would need about 4 GiB).
///
/// It is an upper bound for one set of tables. VIPs with the same backends (address, port, weight), ring
/// size and Maglev version share one table, so each distinct table counts once: 4 bytes a slot in the
/// published table plus, while it is built, a bit a slot in the builder's occupancy map, rounded up to 5
/// bytes a slot. Each backend and each VIP adds a generous fixed amount for its entry, lookups and counters.
/// Each distinct source allow list adds the most its table can take (<see cref="SourceAllowList.MaxBytes"/>:
/// 258 KiB, plus 1 KiB per 8 bits a prefix has past /16).
/// While a change is applied the running tables stay until the new ones are published, and a table that a
/// health change replaced is kept for one more change, so a change briefly needs more than one set.
/// </summary>
public static class TableMemory
{
    public const long BytesPerSlot = 5;

    public const long BytesPerBackend = 1024;

    public const long BytesPerVip = 4096;

    public static long Estimate(IEnumerable<VipConfig> vips)
    {
        long entries = 0;
        var tables = new HashSet<string>(StringComparer.Ordinal);
        long slots = 0;
        var allowLists = new HashSet<string>(StringComparer.Ordinal);
        long allowListBytes = 0;
        foreach (VipConfig vip in vips)
        {
            entries += BytesPerVip + vip.Backends.Count * BytesPerBackend;
            if (tables.Add(TableInputs(vip)))
                slots += vip.Maglev.RingSize;
            if (vip.AllowedSources is { } sources && allowLists.Add(string.Join(',', sources.Select(p => p.ToString()).Distinct().Order(StringComparer.Ordinal))))
                allowListBytes += SourceAllowList.MaxBytes(sources.Distinct().Select(p => p.PrefixLength));
        }
        return entries + slots * BytesPerSlot + allowListBytes;
    }

    public static long Estimate(ForwarderConfig config) => Estimate(config.Vips);

    /// <summary>What the VIP's table is a function of, as text: equal for VIPs that share one table (or more finely).</summary>
    private static string TableInputs(VipConfig vip) =>
        $"{vip.Maglev.RingSize}/{vip.Maglev.Version}/" + string.Join(',', vip.Backends
            .Select(b => $"{b.Address}:{b.Port ?? 0}*{b.Weight}")
            .Order(StringComparer.Ordinal));
}
