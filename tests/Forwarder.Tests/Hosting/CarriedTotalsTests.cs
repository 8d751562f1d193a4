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

    /// <summary>A VIP with allowed sources (10.100.0.1:80/tcp) and one without (10.100.0.2:53/udp).</summary>
    private static readonly ForwarderConfig Restricted = TestConfigs.LoadValid(ConfigBuilder.Standard(v => v.AllowedSources("192.168.0.0/16"))
        .Vip("10.100.0.2", 53, "udp", v => v.Backends("10.0.1.1")).ToYaml());

    private static CarriedCounters RestrictedTotals(long? refused) => new(
        [
            new VipTotals(Restricted.Vips[0], 100, 6400, [new BackendTotals(Restricted.Vips[0].Backends[1].Id, 100, 6400)]) { SourceNotAllowed = refused },
            new VipTotals(Restricted.Vips[1], 5, 500, []),
        ],
        new LoadBalancerEventTotals(0, 0, 0), []);

    [Fact]
    public void A_vip_s_refused_sources_travel_on_a_line_of_their_own_and_read_back()
    {
        List<string> lines = CarriedTotals.Format(RestrictedTotals(refused: 40));

        Assert.Equal(["refused 10.100.0.1:80/tcp 40"], lines.Where(l => l.StartsWith("refused ", StringComparison.Ordinal)));
        CarriedCounters read = Read(lines, Restricted, out int skipped, out bool ended);
        Assert.True(ended);
        Assert.Equal(0, skipped);
        Assert.Equal([40L, null], read.Vips.Select(v => v.SourceNotAllowed));
        Assert.Equal([100L, 5L], read.Vips.Select(v => v.Packets));
    }

    [Fact]
    public void An_older_successor_reads_every_other_line_as_before_and_skips_the_refused_one()
    {
        List<string> withRefusals = CarriedTotals.Format(RestrictedTotals(refused: 40));
        List<string> withoutRefusals = CarriedTotals.Format(RestrictedTotals(refused: null));

        // The kinds an older successor knows are written exactly as before; the new figure is a kind it skips (as "histogram" above).
        Assert.Equal(withoutRefusals, withRefusals.Where(l => !l.StartsWith("refused ", StringComparison.Ordinal)));
        Assert.Single(withRefusals, l => l.StartsWith("refused ", StringComparison.Ordinal));
        CarriedCounters asBefore = Read(withoutRefusals, Config, out int skipped, out _);
        Assert.Equal(1, skipped); // Config serves 10.100.0.1:80/tcp but not 10.100.0.2:53/udp: that VIP's line is dropped as ever
        Assert.Equal(100, Assert.Single(asBefore.Vips).Packets);
    }

    [Fact]
    public void A_successor_of_a_predecessor_that_sent_no_refused_line_starts_at_zero()
    {
        CarriedCounters read = Read(CarriedTotals.Format(RestrictedTotals(refused: null)), Restricted, out int skipped, out _);

        Assert.Equal(0, skipped);
        Assert.Equal([0L, null], read.Vips.Select(v => v.SourceNotAllowed));
    }

    [Fact]
    public void Refused_lines_that_do_not_fit_are_dropped_and_a_count_that_is_not_one_is_zero()
    {
        string[] lines =
        [
            "refused 10.100.0.2:53/udp 7",   // a VIP without allowed sources
            "refused 10.100.0.9:80/tcp 7",   // a VIP the successor does not serve
            "refused",                       // no VIP
            "refused 10.100.0.1:80/tcp -3",  // not a count: 0
            "refused 10.100.0.1:80/tcp 99",  // a repeat
            "end",
        ];

        CarriedCounters read = Read(lines, Restricted, out int skipped, out _);

        Assert.Equal(4, skipped);
        VipTotals vip = Assert.Single(read.Vips); // carried even though its vip line did not come
        Assert.Equal(("10.100.0.1:80/tcp", 0L, (long?)0L), (VipIdentity.Of(vip.Vip).ToString(), vip.Packets, vip.SourceNotAllowed));
    }

    private static CarriedCounters Read(IEnumerable<string> lines, out int skipped, out bool ended) => Read(lines, Config, out skipped, out ended);

    private static CarriedCounters Read(IEnumerable<string> lines, ForwarderConfig config, out int skipped, out bool ended)
    {
        var queue = new Queue<string>(lines);
        return CarriedTotals.Read(() => queue.TryDequeue(out string? line) ? line : null, config.Vips, out skipped, out ended);
    }
}
