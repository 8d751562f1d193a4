using System.Runtime.Versioning;
using AfXdp;
using Forwarder.Hosting;
using Forwarder.Metrics;
using Forwarder.Tests.Api;

namespace Forwarder.Tests.Metrics;

/// <summary>
/// The kernel's AF_XDP counters: one family per counter of <c>struct xdp_statistics</c> with a series per queue,
/// a failed getsockopt counted and answered with the last values (never thrown), and the same counters in
/// <c>forwarder stats</c> and its JSON.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class XskMetricsTests
{
    [Fact]
    public void Every_counter_is_a_family_with_one_series_per_queue()
    {
        var writer = new PrometheusTextWriter();
        XskMetrics.Write(writer, [FakeDataPathCounters.Socket0, FakeDataPathCounters.Socket1]);
        IReadOnlyDictionary<string, StrictPrometheusParser.Family> families = StrictPrometheusParser.Parse(writer.ToString());

        Assert.Equal(
            ["forwarder_xsk_rx_dropped_total", "forwarder_xsk_rx_fill_ring_empty_descs_total", "forwarder_xsk_rx_invalid_descs_total",
             "forwarder_xsk_rx_ring_full_total", "forwarder_xsk_statistics_read_failures_total", "forwarder_xsk_tx_invalid_descs_total",
             "forwarder_xsk_tx_ring_empty_descs_total"],
            families.Keys.Order(StringComparer.Ordinal));
        string text = writer.ToString();
        Assert.Contains("forwarder_xsk_rx_dropped_total{queue=\"0\"} 11\n", text);
        Assert.Contains("forwarder_xsk_rx_invalid_descs_total{queue=\"0\"} 12\n", text);
        Assert.Contains("forwarder_xsk_tx_invalid_descs_total{queue=\"0\"} 13\n", text);
        Assert.Contains("forwarder_xsk_rx_ring_full_total{queue=\"1\"} 24\n", text);
        Assert.Contains("forwarder_xsk_rx_fill_ring_empty_descs_total{queue=\"0\"} 15\n", text);
        Assert.Contains("forwarder_xsk_tx_ring_empty_descs_total{queue=\"0\"} 16\n", text);
        Assert.Contains("forwarder_xsk_statistics_read_failures_total{queue=\"0\"} 1\n", text);
        Assert.Contains("# TYPE forwarder_xsk_rx_ring_full_total counter\n", text);
    }

    [Fact]
    public void Without_sockets_nothing_is_written()
    {
        var writer = new PrometheusTextWriter();
        XskMetrics.Write(writer, []);
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void A_failed_reading_is_counted_and_keeps_the_last_values()
    {
        int errno = 0;
        ulong full = 5;
        var reader = new SocketStatisticsReader(3, (out XdpStatistics s) =>
        {
            s = new XdpStatistics { RxRingFull = full, RxDropped = 2 };
            return errno;
        });

        Assert.Equal(new XskSocketReading(3, 2, 0, 0, 5, 0, 0, 0), reader.Read());
        errno = 9; // EBADF: the socket is gone
        full = 99;
        Assert.Equal(new XskSocketReading(3, 2, 0, 0, 5, 0, 0, 1), reader.Read());
        errno = 0;
        Assert.Equal(new XskSocketReading(3, 2, 0, 0, 99, 0, 0, 1), reader.Read());
    }

    [Fact]
    public void Counters_never_go_back_even_if_a_late_reading_is_smaller()
    {
        ulong full = 10;
        var reader = new SocketStatisticsReader(0, (out XdpStatistics s) => { s = new XdpStatistics { RxRingFull = full }; return 0; });
        reader.Read();
        full = 7;
        Assert.Equal(10UL, reader.Read().RxRingFull);
    }

    [Fact]
    public async Task Stats_shows_the_counters_and_its_json_has_them_per_queue()
    {
        await using TestApi api = await TestApi.StartAsync();

        (int exitCode, string output, string errors) = await CliRun.Invoke("stats", "--once", "--interval", "0.2", "--api", api.Address);
        Assert.True(exitCode == 0, errors);
        Assert.Contains("kernel AF_XDP counters", output);
        Assert.Matches(@"│\s*1\s*│\s*0 \(0 /s\)\s*│\s*24 \(0 /s\)\s*│\s*25 \(0 /s\)", output);

        (exitCode, output, errors) = await CliRun.Invoke("stats", "--json", "--interval", "0.2", "--api", api.Address);
        Assert.True(exitCode == 0, errors);
        System.Text.Json.JsonElement xsk = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("queues")[0].GetProperty("xsk");
        Assert.Equal(11, xsk.GetProperty("rx_dropped").GetInt64());
        Assert.Equal(14, xsk.GetProperty("rx_ring_full").GetInt64());
        Assert.Equal(15, xsk.GetProperty("rx_fill_ring_empty_descs").GetInt64());
        Assert.Equal(1, xsk.GetProperty("read_failures").GetInt64());
    }
}
