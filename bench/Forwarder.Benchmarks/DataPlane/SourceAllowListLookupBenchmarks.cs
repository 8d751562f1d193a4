using System.Net;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>
/// <see cref="SourceAllowList.Allows"/> alone over 1,024 lookups of 64 or 1,024 distinct clients in random order, against a
/// loop that reads the same addresses without a lookup (the baseline): a list of one prefix, and of 1,000 prefixes. Half the clients are
/// listed as host-sized entries (IPv4 /32, IPv6 /64, the deepest walks) among random prefixes of their own ranges; the
/// other half are random addresses of the same ranges, inside or outside the list. 1,024 clients spread the walks over
/// more table lines than the first-level cache holds, as a busy VIP's do. What the stage pays per packet for a
/// list, without the rest of the stage's noise (<c>SourceAllowListBenchmarks</c> measures it in the stage).
/// </summary>
[MinColumn, MedianColumn]
public class SourceAllowListLookupBenchmarks
{
    private const int Addresses = 1024;
    private WireAddress[] _sources = null!;
    private SourceAllowList _one = null!;
    private SourceAllowList _thousand = null!;

    [Params("v4", "v6")]
    public string Family { get; set; } = "v4";

    /// <summary>Distinct clients the lookups cycle through: one batch's, or enough that their table lines leave the first-level cache.</summary>
    [Params(64, 1024)]
    public int Clients { get; set; } = 64;

    [GlobalSetup]
    public void Setup()
    {
        bool v6 = Family == "v6";
        IpVersion version = v6 ? IpVersion.V6 : IpVersion.V4;
        var random = new Random(23);
        var prefixes = new List<(byte[], int)>();
        var clients = new WireAddress[Clients];
        for (int i = 0; i < Clients; i++)
        {
            IPAddress client = v6 ? ClientFlows.ClientV6(random) : ClientFlows.ClientV4(random);
            clients[i] = WireAddress.FromIPAddress(client);
            if (i < Clients / 2)
                prefixes.Add(Prefix(client, v6 ? 64 : 32));
        }
        random.Shuffle(clients);
        // The same number of lookups whatever the client count: the clients repeated in order.
        _sources = Enumerable.Range(0, Addresses).Select(i => clients[i % Clients]).ToArray();
        while (prefixes.Count < 1000)
            prefixes.Add(Prefix(v6 ? ClientFlows.ClientV6(random) : ClientFlows.ClientV4(random), v6 ? random.Next(40, 65) : random.Next(20, 33)));
        _thousand = SourceAllowList.Build(version, prefixes);
        _one = SourceAllowList.Build(version, [Prefix(v6 ? IPAddress.Parse("2001:db8::") : IPAddress.Parse("198.18.0.0"), v6 ? 32 : 15)]);
        if (Thousand() < Addresses / 2 || One() != Addresses)
            throw new InvalidOperationException("the listed clients must be allowed, and all under the one prefix");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Addresses)]
    public int NoLookup()
    {
        int sum = 0;
        foreach (ref readonly WireAddress source in _sources.AsSpan())
            sum += source.Bytes[3] & 1;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Addresses)]
    public int One() => Count(_one);

    [Benchmark(OperationsPerInvoke = Addresses)]
    public int Thousand() => Count(_thousand);


    private int Count(SourceAllowList list)
    {
        int allowed = 0;
        foreach (ref readonly WireAddress source in _sources.AsSpan())
            allowed += list.Allows(source) ? 1 : 0;
        return allowed;
    }

    /// <summary>The prefix of <paramref name="length"/> bits holding <paramref name="address"/>: its bytes, host bits cleared, and the length.</summary>
    internal static (byte[], int) Prefix(IPAddress address, int length)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = length; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return (bytes, length);
    }
}
