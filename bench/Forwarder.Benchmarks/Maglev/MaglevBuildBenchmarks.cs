using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.Benchmarks.Maglev;

/// <summary>Building a table from scratch (sort, permutations, fill); V2, weights 1, IPv4 backends.</summary>
[MemoryDiagnoser]
[SupportedOSPlatform("linux")]
public class MaglevBuildBenchmarks
{
    private MaglevEndpoint[] _endpoints = [];

    [Params(10, 100, 1_000, 10_000)]
    public int Backends { get; set; }

    [Params(MaglevRingSize.Default, MaglevRingSize.Large)]
    public int RingSize { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _endpoints = Enumerable.Range(0, Backends)
            .Select(i => new MaglevEndpoint(i, 1, EndpointHash.HashV4([10, (byte)(1 + i / 65536), (byte)(i / 256), (byte)i])))
            .ToArray();

    [Benchmark]
    public MaglevTable? Build() => MaglevBuilder.Build(_endpoints, MaglevVersion.V2, RingSize);
}
