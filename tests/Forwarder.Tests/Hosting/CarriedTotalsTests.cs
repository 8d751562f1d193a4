using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Hosting;
using Forwarder.Hosting.Upgrade;
using Forwarder.Metrics;
using Forwarder.Testing;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.Hosting;

/// <summary>
/// The totals a predecessor carries to its successor: read back as written for what the successor serves; a VIP or
/// backend it does not serve, and a line it cannot read, are dropped without harm.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CarriedTotalsTests
{
    private static readonly ForwarderConfig Config = TestConfigs.LoadValid(ConfigBuilder.Standard()
        .Vip("10.100.0.3", 8443, "tcp", v => v.Mode("nat").NoBackends().Backend("10.0.2.1", 8443).Backend("10.0.2.1", 9443)).ToYaml());

    [Fact]
    public void The_totals_read_back_as_written()
    {
        VipConfig standard = Config.Vips[0], nat = Config.Vips[1];
        var written = new CarriedCounters(
            [
                new VipTotals(standard, 100, 6400, [new BackendTotals(standard.Backends[0].Id, 60, 3840), new BackendTotals(standard.Backends[2].Id, 40, 2560)]),
                new VipTotals(nat, 7, 700, [new BackendTotals(nat.Backends[1].Id, 7, 700, 3, 300)]),
            ],
            new LoadBalancerEventTotals(1, 2, 3),
            [new ConnectionTableReading(0, 1024, 10, 11, 12, 13, 14, 15, 16, 17)]);

        CarriedCounters read = Read(CarriedTotals.Format(written), out int skipped, out bool ended);

        Assert.True(ended);
        Assert.Equal(0, skipped);
        Assert.Equal([100L, 7L], read.Vips.Select(v => v.Packets));
        Assert.Equal([6400L, 700L], read.Vips.Select(v => v.Bytes));
        Assert.Equal(written.Vips[0].Backends, read.Vips[0].Backends);
        Assert.Equal(written.Vips[1].Backends, read.Vips[1].Backends); // 10.0.2.1:9443, not :8443
        Assert.Equal(written.Events, read.Events);
        ConnectionTableReading table = Assert.Single(read.Tables);
        Assert.Equal((11L, 12L, 13L, 14L, 15L, 16L, 17L), (table.Hits, table.Misses, table.Evictions, table.Expired, table.SynMisses, table.NonSynMisses, table.RateLimited));
    }

    [Fact]
    public void What_the_successor_does_not_serve_and_what_it_cannot_read_are_dropped()
    {
        string[] lines =
        [
            "vip 10.100.0.9:80/tcp 5 500",             // a VIP the successor does not serve
            "backend 10.100.0.1:80/tcp 10.0.9.9 5 500 0 0", // a backend it does not serve
            "vip 10.100.0.1:80/tcp 9 x",               // bytes unreadable: 0
            "vip 10.100.0.1:80/tcp 1 1",               // a repeat
            "backend 10.100.0.1:80/tcp 10.0.0.1 4",    // another version's shorter line: the rest is 0
            "histogram 1 2 3",                         // a line of another version
            "",
            "table x 1 2",
            "end",
        ];

        CarriedCounters read = Read(lines, out int skipped, out bool ended);

        Assert.True(ended);
        Assert.Equal(6, skipped);
        VipTotals vip = Assert.Single(read.Vips);
        Assert.Equal((9L, 0L), (vip.Packets, vip.Bytes));
        Assert.Equal(new BackendTotals(Config.Vips[0].Backends[0].Id, 4, 0), Assert.Single(vip.Backends));
        Assert.Empty(read.Tables);
    }

    [Fact]
    public void Lines_that_stop_before_end_are_not_ended()
    {
        Read(["vip 10.100.0.1:80/tcp 9 9"], out _, out bool ended);

        Assert.False(ended);
    }

    private static CarriedCounters Read(IEnumerable<string> lines, out int skipped, out bool ended)
    {
        var queue = new Queue<string>(lines);
        return CarriedTotals.Read(() => queue.TryDequeue(out string? line) ? line : null, Config.Vips, out skipped, out ended);
    }
}
