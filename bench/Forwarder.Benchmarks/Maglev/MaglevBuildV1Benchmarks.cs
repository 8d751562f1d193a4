using BenchmarkDotNet.Attributes;
using Forwarder.Hashing;
using Forwarder.Maglev;

namespace Forwarder.Benchmarks.Maglev;

/// <summary>
/// <see cref="MaglevBuildBenchmarks"/>' build with the first Maglev fill (Katran's <c>MaglevHash</c>, V1)
/// for 1,000 equal-weight IPv4 backends, the Maglev paper's case (1.8 ms at 65,537 slots, 22.9 ms at 655,373).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class MaglevBuildV1Benchmarks
{
    private MaglevEndpoint[] _endpoints = [];

    [Params(1_000)]
    public int Backends { get; set; }

    [Params(MaglevRingSize.Default, MaglevRingSize.Large)]
    public int RingSize { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _endpoints = Enumerable.Range(0, Backends)
            .Select(i => new MaglevEndpoint(i, 1, EndpointHash.HashV4([10, (byte)(1 + i / 65536), (byte)(i / 256), (byte)i])))
            .ToArray();

    [Benchmark]
    public MaglevTable? Build() => MaglevBuilder.Build(_endpoints, MaglevVersion.V1, RingSize);
}
