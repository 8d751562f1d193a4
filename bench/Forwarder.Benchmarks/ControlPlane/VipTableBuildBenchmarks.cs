using System.Text;
using BenchmarkDotNet.Attributes;
using Forwarder.Benchmarks.LoadBalancing;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Maglev;
using Forwarder.Testing;

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
        string yaml = ConfigBuilder.WithoutVips().Vip("10.100.0.1", configure: vip =>
        {
            vip.Maglev(ringSize: RingSize);
            for (int i = 0; i < Backends; i++)
                vip.Backend($"10.{1 + i / 65536}.{i / 256 % 256}.{i % 256}");
        }).ToYaml();
        _vip = BenchConfigs.Load(yaml).Vips[0];
    }

    [Benchmark]
    public VipTable Build() => VipTable.Build(_vip);
}
