using System.Text;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.LoadBalancing;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Maglev;

namespace Forwarder.Benchmarks.ControlPlane;

/// <summary>
/// A VIP's table as the control plane builds it from configuration (<see cref="VipTable.Build"/>):
/// backends sorted by address, endpoint hashes (folly's IPAddress::hash), then the Maglev V2 fill.
/// Compare with <see cref="Maglev.MaglevBuildBenchmarks"/>, which starts from hashed endpoints.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
public class VipTableBuildBenchmarks
{
    private VipConfig _vip = null!;

    [Params(1_000, 10_000)]
    public int Backends { get; set; }

    [Params(MaglevRingSize.Default, MaglevRingSize.Large)]
    public int RingSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var yaml = new StringBuilder($"""
            interface:
              name: eth0
            router_mac: 02:00:00:00:00:01
            vips:
              - address: 10.100.0.1
                maglev:
                  ring_size: {RingSize}
                backends:

            """);
        for (int i = 0; i < Backends; i++)
            yaml.Append($"      - address: 10.{1 + i / 65536}.{i / 256 % 256}.{i % 256}\n");
        _vip = BenchConfigs.Load(yaml.ToString()).Vips[0];
    }

    [Benchmark]
    public VipTable Build() => VipTable.Build(_vip);
}
