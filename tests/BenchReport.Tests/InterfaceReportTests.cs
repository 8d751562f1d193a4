using System.Text.Json.Nodes;

namespace BenchReport.Tests;

/// <summary>Reports from runs where bench/e2e.sh read the interfaces' own counters at every window edge.</summary>
public class InterfaceReportTests
{
    /// <summary>An ifstat record: one interface's reading at one edge, ethtool's lines after its header.</summary>
    private static string Ifstat(string c, int edge, string side, double seconds, params (string, ulong)[] counters) =>
        string.Join('\t', new[] { "ifstat", c, edge.ToString(), side, (1_000_000_000_000L + (long)Math.Round(seconds * 1e9)).ToString() }
            .Concat(InterfaceCountersTests.Reading(counters).Skip(1).Select(l => l.Trim())));

    /// <summary>
    /// Three 1-second windows per case. drop: l0 drops 10, 11, 9 Mpps. tx: g0 receives 3 Mpps. lb: g0 receives 0.7,
    /// 0.8, 0.75 Mpps of 2.5 offered, the sink's own windows say 0.71. lbrx: l0 redirects 2.0, 2.2, 2.1 Mpps into the
    /// socket (and fails 0.5 Mpps), nothing comes back. crx (the C receiver in lbrx's place): 3.0, 3.3, 3.1 Mpps, alike.
    /// </summary>
    private static IEnumerable<string> Run()
    {
        yield return "meta\thost\tbox";
        foreach (string c in new[] { "drop", "tx", "lb", "lbrx", "crx" })
            yield return $"case\t{c}\t1024\t{(c.StartsWith("lb") ? "3" : "-")}\t1\t99";
        double[] drop = [10, 11, 9], tx = [3, 3, 3], lb = [0.7, 0.8, 0.75], lbrx = [2.0, 2.2, 2.1], crx = [3.0, 3.3, 3.1];
        foreach ((string c, double[] rates) in new[] { ("drop", drop), ("tx", tx), ("lb", lb), ("lbrx", lbrx), ("crx", crx) })
        {
            ulong delivered = 0, offered = 0, failed = 0;
            for (int edge = 0; edge <= 3; edge++)
            {
                if (edge > 0)
                {
                    delivered += (ulong)(rates[edge - 1] * 1e6);
                    offered += 2_500_000;
                    failed += 500_000;
                }
                (string, ulong)[] gen = c is "tx" or "lb"
                    ? [("tx_queue_0_xdp_xmit", offered), ("rx_queue_1_xdp_packets", delivered), ("rx_queue_1_xdp_drops", delivered)]
                    : [("tx_queue_0_xdp_xmit", offered)];
                (string, ulong)[] l0 = c switch
                {
                    "drop" => [("rx_queue_0_xdp_drops", delivered)],
                    "tx" => [("rx_queue_0_xdp_tx", delivered)],
                    _ => [("rx_queue_0_xdp_redirect", c == "lb" ? 2 * delivered : delivered), ("rx_queue_0_drops", failed)],
                };
                yield return Ifstat(c, edge, "gen", 100 * edge + edge, gen);
                yield return Ifstat(c, edge, "lb", 100 * edge + edge + 0.001, l0);
            }
        }
        yield return "window\tlb\tRUN 1 seconds=1 start=0 end=710000";
        yield return "offered\tlb\t4.5";
    }

    // Window lengths: 101 s each (edges at 0, 101, 202, 303 s), so every rate above is scaled by 1/101.
    private const double Scale = 1.0 / 101;

    [Fact]
    public void Rates_come_from_the_interface_where_each_cases_frames_stop()
    {
        Report report = Report.Build(BenchRun.Parse(Run()));

        CaseResult drop = report.Cases.Single(c => c.Name == "drop");
        Assert.Equal("interfaces", drop.Source);
        Assert.Equal(Quantity.XdpDropL0, drop.Counted);
        Assert.Equal(10 * Scale, drop.Stats!.Median, 9);
        Assert.Equal(Quantity.BackAtG0, report.Cases.Single(c => c.Name == "tx").Counted);
        CaseResult lb = report.Cases.Single(c => c.Name == "lb");
        Assert.Equal(Quantity.BackAtG0, lb.Counted);
        Assert.Equal([0.7 * Scale, 0.8 * Scale, 0.75 * Scale], lb.WindowsMpps.Select(m => Math.Round(m, 12)), new RoundedComparer());
        CaseResult lbrx = report.Cases.Single(c => c.Name == "lbrx");
        Assert.Equal(Quantity.RedirectL0, lbrx.Counted); // not what came back (nothing) and not the failed redirects
        Assert.Equal(2.1 * Scale, lbrx.Stats!.Median, 9);
        Assert.Equal(0.5 * Scale, lbrx.InterfaceStats[Quantity.RedirectFailedL0].Median, 9);
    }

    [Fact]
    public void lbrx_is_compared_with_XDP_DROP_and_forwarding_with_XDP_TX()
    {
        Report report = Report.Build(BenchRun.Parse(Run()));

        CaseResult lbrx = report.Cases.Single(c => c.Name == "lbrx");
        Assert.Equal(Baseline.XdpDrop, lbrx.Baseline);
        Assert.Equal(2.1 / 10, lbrx.RatioToBaseline!.Value, 9);
        CaseResult lb = report.Cases.Single(c => c.Name == "lb");
        Assert.Equal(Baseline.XdpTx, lb.Baseline);
        Assert.Equal(0.75 / 3, lb.RatioToBaseline!.Value, 9);
        Assert.Null(report.Cases.Single(c => c.Name == "drop").RatioToBaseline);
        Assert.Null(report.Cases.Single(c => c.Name == "tx").RatioToBaseline);
    }

    [Fact]
    public void crx_is_counted_and_compared_like_lbrx()
    {
        Report report = Report.Build(BenchRun.Parse(Run()));

        CaseResult crx = report.Cases.Single(c => c.Name == "crx");
        Assert.Equal(Quantity.RedirectL0, crx.Counted); // what l0 placed on the C receiver's RX ring, as for lbrx
        Assert.Equal(3.1 * Scale, crx.Stats!.Median, 9);
        Assert.Equal(Baseline.XdpDrop, crx.Baseline);
        Assert.Equal(3.1 / 10, crx.RatioToBaseline!.Value, 9);
        Assert.Matches(@"^crx +1024 +- +1 +0\.031 +\[0\.030 - 0\.033\] +0\.31 XDP_DROP ", Report.Row(crx));
        JsonObject json = JsonNode.Parse(report.ToJsonText())!["cases"]!.AsArray().Single(c => (string?)c!["name"] == "crx")!.AsObject();
        Assert.Equal("c_reference", (string?)json["kind"]);
        Assert.Equal("redirect_l0", (string?)json["counted"]);
        Assert.Equal("xdp_drop", (string?)json["baseline"]);
    }

    [Fact]
    public void Offered_is_g0s_own_count_and_the_sink_and_generator_figures_are_kept_beside_it()
    {
        CaseResult lb = Report.Build(BenchRun.Parse(Run())).Cases.Single(c => c.Name == "lb");

        Assert.Equal(2.5 * Scale, lb.OfferedMpps!.Value, 9);
        Assert.Equal(4.5, lb.Run.OfferedMpps);
        Assert.Equal(0.71, lb.SinkStats!.Median, 9);
        Assert.Null(Report.Build(BenchRun.Parse(Run())).Cases.Single(c => c.Name == "lbrx").SinkStats);
    }

    [Fact]
    public void Without_xdp_xmit_at_g0_the_offered_rate_is_the_generators_own_count()
    {
        // The generator's socket method sends skbs through an AF_XDP socket, which no XDP counter of g0 sees.
        IEnumerable<string> run = Run().Select(line => line.StartsWith("ifstat\tlb\t", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(line, @"tx_queue_0_xdp_xmit: \d+", "tx_queue_0_xdp_xmit: 0")
            : line);

        CaseResult lb = Report.Build(BenchRun.Parse(run)).Cases.Single(c => c.Name == "lb");

        Assert.Equal(4.5, lb.OfferedMpps);
        Assert.Equal(0.75 * Scale, lb.Stats!.Median, 9);
    }

    [Fact]
    public void Json_gives_each_window_every_interface_quantity()
    {
        JsonObject json = JsonNode.Parse(Report.Build(BenchRun.Parse(Run())).ToJsonText())!.AsObject();

        JsonObject lbrx = json["cases"]!.AsArray().Single(c => (string?)c!["name"] == "lbrx")!.AsObject();
        Assert.Equal("interfaces", (string?)lbrx["source"]);
        Assert.Equal("redirect_l0", (string?)lbrx["counted"]);
        Assert.Equal("xdp_drop", (string?)lbrx["baseline"]);
        Assert.Equal(0.21, (double?)lbrx["ratio_to_baseline"]);
        JsonArray windows = lbrx["windows"]!.AsArray();
        Assert.Equal(3, windows.Count);
        Assert.Equal(2_000_000UL, (ulong?)windows[0]!["packets"]);
        Assert.Equal(101.0, (double?)windows[0]!["seconds"]);
        Assert.Equal(500_000UL, (ulong?)windows[0]!["interface_packets"]!["redirect_failed_l0"]);
        Assert.Equal(Math.Round(2.5 * Scale, 4), (double?)windows[0]!["interface_mpps"]!["offered"]);
        Assert.Empty(lbrx["sink_windows"]!.AsArray());
        Assert.Null(lbrx["sink_median_mpps"]);
        Assert.Contains("ethtool", (string?)json["counting"]);
    }

    [Fact]
    public void The_table_row_shows_the_ratio_with_its_baseline_and_the_sinks_cross_check()
    {
        Report report = Report.Build(BenchRun.Parse(Run()));

        string lbrx = Report.Row(report.Cases.Single(c => c.Name == "lbrx"));
        string lb = Report.Row(report.Cases.Single(c => c.Name == "lb"));

        Assert.Matches(@"^lbrx +1024 +3 +1 +0\.021 +\[0\.020 - 0\.022\] +0\.21 XDP_DROP +0\.02 +-  ", lbrx);
        Assert.Matches(@"^lb +1024 +3 +1 +0\.007 .* 0\.25 XDP_TX +0\.02 +0\.710  ", lb);
        Assert.StartsWith("case", Report.Header);
    }

    [Fact]
    public void A_case_whose_interfaces_saw_nothing_is_empty()
    {
        Report report = Report.Build(BenchRun.Parse(
        [
            "case\tlbrx\t-\t3\t1\t99",
            Ifstat("lbrx", 0, "gen", 0), Ifstat("lbrx", 0, "lb", 0),
            Ifstat("lbrx", 1, "gen", 1), Ifstat("lbrx", 1, "lb", 1),
        ]));

        Assert.Equal(["lbrx"], report.EmptyCases());
    }

    [Fact]
    public void Inconsistent_readings_are_refused_with_the_case_named()
    {
        var e = Assert.Throws<FormatException>(() => BenchRun.Parse(
        [
            "case\tlb\t-\t3\t1\t99",
            Ifstat("lb", 0, "gen", 0), Ifstat("lb", 0, "lb", 0), Ifstat("lb", 1, "gen", 1),
        ]));
        Assert.Contains("case lb", e.Message);
    }

    [Fact]
    public void Chart_labels_forwarder_bars_with_their_ratio_and_lbrx_and_crx_in_their_own_colours()
    {
        string[] rows = [.. Chart.Data(Report.Build(BenchRun.Parse(Run()))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))];

        Assert.EndsWith("0x7f7f7f \"\"", rows[0]);
        Assert.EndsWith("0x1f77b4 \"0.25x TX\"", rows[2]);
        Assert.EndsWith("0xff7f0e \"0.21x DROP\"", rows[3]);
        Assert.EndsWith("0x8c564b \"0.31x DROP\"", rows[4]);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-9;
        public int GetHashCode(double d) => 0;
    }
}
