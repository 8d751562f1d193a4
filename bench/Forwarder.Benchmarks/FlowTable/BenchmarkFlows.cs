using System.Runtime.Versioning;
using Forwarder.FlowTable;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.FlowTable;

/// <summary>Random distinct IPv4 TCP connections to one VIP, and a table at the default size filled half way with others.</summary>
[SupportedOSPlatform("linux")]
internal static class BenchmarkFlows
{
    public const int BatchSize = 64;
    public const uint Now = 1_000;

    private static readonly WireAddress Vip = WireAddress.FromBytes([10, 0, 0, 100]);

    /// <summary><paramref name="count"/> distinct random keys, none of them in <paramref name="avoid"/>.</summary>
    public static FlowKey[] RandomKeys(int count, Random random, HashSet<FlowKey> avoid)
    {
        var keys = new FlowKey[count];
        for (int i = 0; i < count;)
        {
            var client = WireAddress.FromBytes(BitConverter.GetBytes(random.Next()));
            var key = new FlowKey(client, Vip, (uint)random.Next() | 0x5000_0000, IpProtocol.Tcp, IpVersion.V4);
            if (avoid.Add(key))
                keys[i++] = key;
        }
        return keys;
    }

    /// <summary>A default-size table (2^20 entries) with half of it set; returns the keys that are in it.</summary>
    public static FlowKey[] FillHalf(ConnectionTable table, Random random, HashSet<FlowKey> used)
    {
        FlowKey[] candidates = RandomKeys(table.Capacity / 2, random, used);
        WireAddress backend = WireAddress.FromBytes([10, 1, 0, 1]);
        foreach (FlowKey key in candidates)
            table.Set(key, backend, IpVersion.V4, Now);
        // A few buckets overflowed and evicted; keep only keys that are still there.
        return candidates.Where(key => table.TryGet(key, Now, out _, out _)).ToArray();
    }
}
