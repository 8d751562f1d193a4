namespace BenchReport.Tests;

public class InterfaceCountersTests
{
    /// <summary>
    /// Real readings (kernel 6.18), after the lb case's path carried 3,000,000 generator frames from a fresh veth
    /// pair: l0 redirected 969,302 into the forwarder's socket and failed 2,030,698 redirects (its RX ring full);
    /// the forwarder sent 969,302 back, all of which arrived at g0 (its FINAL rx and tx and the sink agreed).
    /// </summary>
    internal const string G0After = """
        NIC statistics:
             peer_ifindex: 2
             rx_queue_0_xdp_packets: 969302
             rx_queue_0_xdp_bytes: 67851140
             rx_queue_0_drops: 0
             rx_queue_0_xdp_redirect: 0
             rx_queue_0_xdp_drops: 969302
             rx_queue_0_xdp_tx: 0
             rx_queue_0_xdp_tx_errors: 0
             rx_queue_1_xdp_packets: 0
             rx_queue_1_xdp_bytes: 0
             rx_queue_1_drops: 0
             rx_queue_1_xdp_redirect: 0
             rx_queue_1_xdp_drops: 0
             rx_queue_1_xdp_tx: 0
             rx_queue_1_xdp_tx_errors: 0
             tx_queue_0_xdp_xmit: 3000000
             tx_queue_0_xdp_xmit_errors: 0
             tx_queue_1_xdp_xmit: 0
             tx_queue_1_xdp_xmit_errors: 0
        """;

    internal const string L0After = """
        NIC statistics:
             peer_ifindex: 2
             rx_queue_0_xdp_packets: 3000000
             rx_queue_0_xdp_bytes: 192000000
             rx_queue_0_drops: 2030698
             rx_queue_0_xdp_redirect: 969302
             rx_queue_0_xdp_drops: 0
             rx_queue_0_xdp_tx: 0
             rx_queue_0_xdp_tx_errors: 0
             rx_queue_1_xdp_packets: 0
             rx_queue_1_xdp_bytes: 0
             rx_queue_1_drops: 0
             rx_queue_1_xdp_redirect: 0
             rx_queue_1_xdp_drops: 0
             rx_queue_1_xdp_tx: 0
             rx_queue_1_xdp_tx_errors: 0
             tx_queue_0_xdp_xmit: 0
             tx_queue_0_xdp_xmit_errors: 0
             tx_queue_1_xdp_xmit: 0
             tx_queue_1_xdp_xmit_errors: 0
        """;

    internal static string[] Lines(string text) => text.Split('\n');

    /// <summary>A veth reading with every counter zero except those given (ethtool's layout, 2 queues).</summary>
    internal static string[] Reading(params (string Name, ulong Value)[] set)
    {
        var values = set.ToDictionary(s => s.Name, s => s.Value);
        var lines = new List<string> { "NIC statistics:", "     peer_ifindex: 2" };
        foreach (string dir in new[] { "rx", "tx" })
        {
            for (int q = 0; q < 2; q++)
            {
                string[] names = dir == "rx"
                    ? ["xdp_packets", "xdp_bytes", "drops", "xdp_redirect", "xdp_drops", "xdp_tx", "xdp_tx_errors"]
                    : ["xdp_xmit", "xdp_xmit_errors"];
                foreach (string n in names)
                {
                    string name = $"{dir}_queue_{q}_{n}";
                    lines.Add($"     {name}: {values.GetValueOrDefault(name)}");
                }
            }
        }
        return [.. lines];
    }

    [Fact]
    public void Parses_ethtool_output_skipping_its_header()
    {
        VethCounters c = VethCounters.Parse(Lines(L0After));

        Assert.Equal(19, c.Raw.Count);
        Assert.Equal(2UL, c.Raw["peer_ifindex"]);
        Assert.Equal(969302UL, c.Raw["rx_queue_0_xdp_redirect"]);
    }

    [Fact]
    public void Sums_a_counter_over_every_queue_by_its_exact_suffix()
    {
        VethCounters c = VethCounters.Parse(Reading(
            ("rx_queue_0_xdp_tx", 5), ("rx_queue_1_xdp_tx", 7), ("rx_queue_0_xdp_tx_errors", 100),
            ("rx_queue_0_drops", 3), ("rx_queue_1_xdp_drops", 1000), ("tx_queue_1_xdp_xmit", 11), ("tx_queue_1_xdp_xmit_errors", 13)));

        Assert.Equal(12UL, c.SumOverQueues("rx", "xdp_tx"));
        Assert.Equal(100UL, c.SumOverQueues("rx", "xdp_tx_errors"));
        Assert.Equal(3UL, c.SumOverQueues("rx", "drops"));
        Assert.Equal(1000UL, c.SumOverQueues("rx", "xdp_drops"));
        Assert.Equal(11UL, c.SumOverQueues("tx", "xdp_xmit"));
        Assert.Equal(0UL, c.SumOverQueues("tx", "xdp_tx"));
    }

    [Fact]
    public void Queue_numbers_beyond_9_are_summed_too()
    {
        VethCounters c = VethCounters.Parse(["rx_queue_0_xdp_packets: 1", "rx_queue_12_xdp_packets: 2", "rx_queue_x_xdp_packets: 40"]);

        Assert.Equal(3UL, c.SumOverQueues("rx", "xdp_packets"));
    }

    [Fact]
    public void The_quantities_of_the_real_lb_readings()
    {
        VethCounters g0 = VethCounters.Parse(Lines(G0After)), l0 = VethCounters.Parse(Lines(L0After));

        Assert.Equal(3_000_000UL, Quantities.Of(Quantity.Offered, g0));
        Assert.Equal(3_000_000UL, Quantities.Of(Quantity.IntoL0, g0));
        Assert.Equal(969_302UL, Quantities.Of(Quantity.RedirectL0, l0));
        Assert.Equal(2_030_698UL, Quantities.Of(Quantity.RedirectFailedL0, l0));
        Assert.Equal(969_302UL, Quantities.Of(Quantity.BackAtG0, g0));
        Assert.Equal(0UL, Quantities.Of(Quantity.XdpDropL0, l0));
        Assert.Equal(0UL, Quantities.Of(Quantity.XdpTxL0, l0));
        // Every frame l0 took was either redirected or failed: the counters account for the whole path.
        Assert.Equal(l0.SumOverQueues("rx", "xdp_packets"), Quantities.Of(Quantity.RedirectL0, l0) + Quantities.Of(Quantity.RedirectFailedL0, l0));
    }

    [Fact]
    public void Offered_counts_what_l0s_full_ring_refused()
    {
        VethCounters g0 = VethCounters.Parse(Reading(("tx_queue_0_xdp_xmit", 14_443_632), ("tx_queue_0_xdp_xmit_errors", 5_556_368)));

        Assert.Equal(20_000_000UL, Quantities.Of(Quantity.Offered, g0));
        Assert.Equal(14_443_632UL, Quantities.Of(Quantity.IntoL0, g0));
    }

    [Fact]
    public void Each_quantity_has_a_name_and_a_side()
    {
        Assert.Equal(Quantities.All.Count, Quantities.All.Select(Quantities.Name).Distinct().Count());
        Assert.Equal(Side.Gen, Quantities.SideOf(Quantity.BackAtG0));
        Assert.Equal(Side.Gen, Quantities.SideOf(Quantity.Offered));
        Assert.Equal(Side.Lb, Quantities.SideOf(Quantity.RedirectL0));
        Assert.Equal(Side.Lb, Quantities.SideOf(Quantity.XdpDropL0));
    }

    [Theory]
    [InlineData("rx_queue_0_xdp_packets 5")]
    [InlineData("rx_queue_0_xdp_packets: -5")]
    [InlineData("rx_queue_0_xdp_packets: 5x")]
    [InlineData("rx queue: 5")]
    [InlineData(": 5")]
    [InlineData("rx_queue_0_xdp_packets: 99999999999999999999999")]
    public void Rejects_malformed_counter_lines(string line)
    {
        Assert.Throws<FormatException>(() => VethCounters.Parse(["NIC statistics:", line]));
    }

    [Fact]
    public void A_counter_given_twice_is_an_error()
    {
        Assert.Throws<FormatException>(() => VethCounters.Parse(["a: 1", "a: 2"]));
    }

    [Fact]
    public void The_difference_of_two_readings_is_per_counter_and_refuses_a_counter_going_backwards()
    {
        VethCounters before = VethCounters.Parse(["rx_queue_0_xdp_packets: 10", "rx_queue_0_drops: 4", "gone: 1"]);
        VethCounters after = VethCounters.Parse(["rx_queue_0_xdp_packets: 25", "rx_queue_0_drops: 4", "new: 9"]);

        VethCounters delta = after.Since(before);

        Assert.Equal(15UL, delta.Raw["rx_queue_0_xdp_packets"]);
        Assert.Equal(0UL, delta.Raw["rx_queue_0_drops"]);
        Assert.False(delta.Raw.ContainsKey("gone"));
        Assert.False(delta.Raw.ContainsKey("new"));
        Assert.Throws<FormatException>(() => before.Since(after));
    }

    [Fact]
    public void Counters_beyond_32_bits_are_kept_exact()
    {
        VethCounters before = VethCounters.Parse(["rx_queue_0_xdp_packets: 18446744073000000000"]);
        VethCounters after = VethCounters.Parse(["rx_queue_0_xdp_packets: 18446744073709551615"]);

        Assert.Equal(709551615UL, after.Since(before).SumOverQueues("rx", "xdp_packets"));
    }

    [Fact]
    public void A_sample_record_gives_edge_side_time_and_counters()
    {
        CounterSample s = CounterSample.Parse(["2", "lb", "1700000000123456000", "rx_queue_0_xdp_redirect: 7", "rx_queue_1_xdp_redirect: 8"]);

        Assert.Equal(2, s.Edge);
        Assert.Equal(Side.Lb, s.Side);
        Assert.Equal(1700000000123456000L, s.TimeNs);
        Assert.Equal(15UL, Quantities.Of(Quantity.RedirectL0, s.Counters));
    }

    [Theory]
    [InlineData("x", "lb", "1")]
    [InlineData("-1", "lb", "1")]
    [InlineData("0", "l0", "1")]
    [InlineData("0", "gen", "0")]
    [InlineData("0", "gen", "soon")]
    public void Rejects_bad_sample_fields(string edge, string side, string time)
    {
        Assert.Throws<FormatException>(() => CounterSample.Parse([edge, side, time, "a: 1"]));
    }

    private static CounterSample Sample(int edge, Side side, double seconds, params (string, ulong)[] counters) =>
        new(edge, side, 1_000_000_000_000L + (long)Math.Round(seconds * 1e9), VethCounters.Parse(Reading(counters)));

    [Fact]
    public void Windows_lie_between_consecutive_edges_each_side_timed_by_its_own_readings()
    {
        List<InterfaceWindow> windows = InterfaceWindow.FromSamples(
        [
            Sample(1, Side.Lb, 2.010, ("rx_queue_0_xdp_redirect", 3_000_000)),
            Sample(0, Side.Gen, 0.000, ("tx_queue_0_xdp_xmit", 0)),
            Sample(0, Side.Lb, 0.010, ("rx_queue_0_xdp_redirect", 1_000_000)),
            Sample(1, Side.Gen, 1.000, ("tx_queue_0_xdp_xmit", 4_000_000), ("tx_queue_1_xdp_xmit_errors", 1_000_000)),
            Sample(2, Side.Gen, 2.000, ("tx_queue_0_xdp_xmit", 6_000_000), ("tx_queue_1_xdp_xmit_errors", 1_000_000)),
            Sample(2, Side.Lb, 4.010, ("rx_queue_0_xdp_redirect", 4_000_000)),
        ]);

        Assert.Equal([1, 2], windows.Select(w => w.Index));
        Assert.Equal(1.0, windows[0].GenSeconds, 9);
        Assert.Equal(2.0, windows[0].LbSeconds, 9);
        Assert.Equal(5_000_000UL, windows[0].Packets(Quantity.Offered));
        Assert.Equal(5e6, windows[0].Rate(Quantity.Offered), 3);
        Assert.Equal(1e6, windows[0].Rate(Quantity.RedirectL0), 3);
        Assert.Equal(2e6, windows[1].Rate(Quantity.Offered), 3);
        Assert.Equal(0.5e6, windows[1].Rate(Quantity.RedirectL0), 3);
    }

    [Fact]
    public void One_edge_gives_no_window()
    {
        Assert.Empty(InterfaceWindow.FromSamples([Sample(0, Side.Gen, 0), Sample(0, Side.Lb, 0)]));
        Assert.Empty(InterfaceWindow.FromSamples([]));
    }

    [Fact]
    public void An_edge_without_both_interfaces_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => InterfaceWindow.FromSamples([Sample(0, Side.Gen, 0), Sample(0, Side.Lb, 0), Sample(1, Side.Gen, 1)]));
        Assert.Contains("edge 1 has no lb reading", e.Message);
    }

    [Fact]
    public void Time_must_advance_and_a_side_may_not_be_read_twice_at_one_edge()
    {
        Assert.Throws<FormatException>(() => InterfaceWindow.FromSamples(
            [Sample(0, Side.Gen, 1), Sample(0, Side.Lb, 1), Sample(1, Side.Gen, 1), Sample(1, Side.Lb, 2)]));
        Assert.Throws<FormatException>(() => InterfaceWindow.FromSamples([Sample(0, Side.Gen, 0), Sample(0, Side.Gen, 1)]));
    }

    [Fact]
    public void A_counter_going_backwards_between_edges_is_an_error()
    {
        Assert.Throws<FormatException>(() => InterfaceWindow.FromSamples(
        [
            Sample(0, Side.Gen, 0, ("rx_queue_0_xdp_packets", 10)), Sample(0, Side.Lb, 0),
            Sample(1, Side.Gen, 1, ("rx_queue_0_xdp_packets", 9)), Sample(1, Side.Lb, 1),
        ]));
    }
}
