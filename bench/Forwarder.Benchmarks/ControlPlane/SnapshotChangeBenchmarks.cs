using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Forwarder.Api;
using Forwarder.Benchmarks.LoadBalancing;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.Testing;

namespace Forwarder.Benchmarks.ControlPlane;

/// <summary>
/// A change at scale: 3,000 VIPs × 4 backends, ring 65,537, with every VIP's backends the same (one
/// distinct table) or different (3,000 tables, 786 MB of slots). <see cref="Start"/> builds the first
/// snapshot; <see cref="HealthFlip"/> marks one backend of one VIP down and up again (two publishes; with
/// distinct backends, one new table); <see cref="WeightChange"/> is an API edit of one backend's weight
/// (written out, validated as a file, one new table). Each operation moves on to the next VIP.
/// Compare TablesBuilt/TablesReused in the runtime to see what a change rebuilt.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn] // on a shared machine the minimum is the steadiest figure
[WarmupCount(2)]
[IterationCount(7)]
public class SnapshotChangeBenchmarks
{
    private const int VipCount = 3_000;
    private const int BackendsPerVip = 4;
    private static readonly byte[] OwnMac = [0x02, 0, 0, 0, 0, 0x0a];

    private ForwarderConfig _config = null!;
    private ForwarderRuntime _runtime = null!;
    private VipIdentity[] _vips = [];
    private BackendId[][] _backends = [];
    private int _next;
    private uint _weight = 2;

    [Params(false, true)]
    public bool DistinctBackends { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _config = BenchConfigs.Load(Yaml(DistinctBackends));
        _runtime = new ForwarderRuntime(_config, OwnMac, workerCount: 2, new NoSteeringMaps());
        _vips = _config.Vips.Select(VipIdentity.Of).ToArray();
        _backends = _config.Vips.Select(v => v.Backends.Select(b => b.Id).ToArray()).ToArray();
    }

    /// <summary>
    /// The configuration as an operator would write it: every VIP on port 80/tcp, ring 65,537; within the default
    /// memory limit even with every VIP's backends its own (about 0.94 GiB of tables).
    /// </summary>
    public static string Yaml(bool distinctBackends)
    {
        ConfigBuilder config = ConfigBuilder.WithoutVips();
        for (int v = 0; v < VipCount; v++)
        {
            config.Vip($"10.{100 + v / 65536}.{v / 256 % 256}.{v % 256}", 80, "tcp", vip =>
            {
                for (int b = 1; b <= BackendsPerVip; b++)
                    vip.Backend(distinctBackends ? $"10.{1 + v / 256}.{v % 256}.{b}" : $"10.0.0.{b}");
            });
        }
        return config.ToYaml();
    }

    [Benchmark]
    public ForwarderRuntime Start() => new(_config, OwnMac, workerCount: 2, new NoSteeringMaps());

    [Benchmark]
    public long HealthFlip()
    {
        int v = _next++ % VipCount;
        BackendId backend = _backends[v][1];
        _runtime.SetHealth(_vips[v], backend, healthy: false);
        _runtime.SetHealth(_vips[v], backend, healthy: true);
        return _runtime.Snapshots.Current.Version;
    }

    [Benchmark]
    public long WeightChange()
    {
        int v = _next++ % VipCount;
        BackendId backend = _backends[v][0];
        uint weight = _weight = _weight % 5 + 2;
        ChangeResult result = _runtime.Edit(c => ConfigEdits.SetWeight(c, _vips[v], backend, weight));
        return result.Applied ? result.Version : throw new InvalidOperationException(string.Join('\n', result.Errors));
    }
}
