using System.Net;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.Frames;
using Forwarder.DataPlane;
using Forwarder.Packets;

namespace Forwarder.Benchmarks.DataPlane;

/// <summary>
/// <see cref="SourceAllowList.Allows"/> alone over 64 client addresses (the sources of one batch), against a loop that
/// reads the same addresses without a lookup (the baseline): a list of one prefix, and of 1,000 prefixes in which the
/// clients are host-sized entries (IPv4 /32, IPv6 /64) among random ones of their own ranges. What the stage pays per
/// packet for a list, without the rest of the stage's noise (<c>SourceAllowListBenchmarks</c> measures it in the stage).
/// </summary>
[MinColumn, MedianColumn]
public class SourceAllowListLookupBenchmarks
{
    private const int Addresses = 64;
    private readonly WireAddress[] _sources = new WireAddress[Addresses];
    private SourceAllowList _one = null!;
    private SourceAllowList _thousand = null!;

    [Params("v4", "v6")]
    public string Family { get; set; } = "v4";

    [GlobalSetup]
    public void Setup()
    {
        bool v6 = Family == "v6";
        IpVersion version = v6 ? IpVersion.V6 : IpVersion.V4;
        var random = new Random(23);
        var prefixes = new List<(byte[], int)>();
        for (int i = 0; i < Addresses; i++)
        {
            IPAddress client = v6 ? ClientFlows.ClientV6(random) : ClientFlows.ClientV4(random);
            _sources[i] = WireAddress.FromIPAddress(client);
            prefixes.Add(Prefix(client, v6 ? 64 : 32));
        }
        while (prefixes.Count < 1000)
            prefixes.Add(Prefix(v6 ? ClientFlows.ClientV6(random) : ClientFlows.ClientV4(random), v6 ? random.Next(32, 65) : random.Next(16, 33)));
        _thousand = SourceAllowList.Build(version, prefixes);
        _one = SourceAllowList.Build(version, [Prefix(v6 ? IPAddress.Parse("2001:db8::") : IPAddress.Parse("198.18.0.0"), v6 ? 32 : 15)]);
        if (Thousand() != Addresses || One() != Addresses)
            throw new InvalidOperationException("every client must be allowed");
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
