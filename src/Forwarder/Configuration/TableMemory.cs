namespace Forwarder.Configuration;

/// <summary>
/// The memory a configuration's forwarding tables need, estimated in one place: what
/// <c>limits.table_memory</c> bounds, what <c>forwarder check</c> prints, and what keeps a small file
/// from asking for gigabytes (50 VIPs with the largest ring size would need about 7 GiB).
///
/// It is an upper bound for one set of tables, counting every VIP's table on its own: each Maglev slot
/// is 4 bytes in the published table plus 4 in the table it is copied from while building, and the
/// builder's one-bit-per-slot occupancy map, rounded up to 9 bytes a slot; each backend and each VIP
/// adds a generous fixed amount for its entry, lookups and counters. While a change is applied the
/// running tables stay until the new ones are published, so a reload briefly needs both.
/// </summary>
public static class TableMemory
{
    public const long BytesPerSlot = 9;

    public const long BytesPerBackend = 1024;

    public const long BytesPerVip = 4096;

    public static long Estimate(IEnumerable<VipConfig> vips) =>
        vips.Sum(vip => BytesPerVip + vip.Maglev.RingSize * BytesPerSlot + vip.Backends.Count * BytesPerBackend);

    public static long Estimate(ForwarderConfig config) => Estimate(config.Vips);
}
