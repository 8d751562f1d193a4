using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forwarder.IntegrationTests.Infrastructure;
using Forwarder.IntegrationTests.LoadBalancing;
using Xunit.Abstractions;
using static Forwarder.IntegrationTests.LoadBalancing.BackendPoolTopology;

namespace Forwarder.IntegrationTests.ControlPlane;

/// <summary>
/// The kernel's own AF_XDP counters in <c>/metrics</c> and the FINAL line: a forwarder stopped with SIGSTOP
/// while a client floods its VIP cannot empty its RX ring nor refill its FILL ring, so the kernel drops what
/// does not fit and counts it (rx_ring_full, or rx_fill_ring_empty_descs / rx_dropped); after SIGCONT the
/// forwarder reads those counters and exposes them.
/// </summary>
public sealed partial class XskStatisticsTests(ITestOutputHelper output)
{
    private const int Flood = 20_000;

    [RootFact]
    public void A_stopped_worker_s_overflowing_rings_show_in_the_kernel_counters()
    {
        string socket = Path.Combine(Path.GetTempPath(), $"fwt-api-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using LoadBalancerUnderTest lb = LoadBalancerUnderTest.Start(LoadBalancingMode.Ipip, runOptions: ["--api", $"unix:{socket}"], vipProtocol: "any");
        Assert.True(Wait.Until(() => File.Exists(socket), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)), "the API socket did not appear");
        using var api = new UnixApiClient(socket);
        double before = Overflow(Metrics(api));
        Assert.Equal(0, before);

        using UdpSender sender = UdpSender.Create(lb.Topology.Client, sourcePorts: 16);
        lb.Forwarder.Signal(LibC.SIGSTOP);
        try
        {
            sender.Send(VipEndpoint, runId: 7, Flood, packetsPerSecond: 200_000);
            Thread.Sleep(200); // let the last datagrams cross the router
        }
        finally
        {
            lb.Forwarder.Signal(LibC.SIGCONT);
        }

        string metrics = Metrics(api);
        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("forwarder_xsk_", StringComparison.Ordinal))));
        double overflow = Overflow(metrics);
        // Each queue's rings take at most its FILL ring's frames (2048) while the worker is stopped; most of the flood cannot fit.
        Assert.True(overflow >= Flood / 4, $"the kernel counted {overflow} frames it could not deliver of {Flood} sent to a stopped worker:\n{metrics}");
        Assert.Equal(0, Sum(metrics, "forwarder_xsk_statistics_read_failures_total"));

        ForwarderReport report = lb.Stop();
        output.WriteLine(lb.FinalLine);
        Assert.Matches(XskInFinal(), lb.FinalLine);
        Assert.True(report.TotalTx > 0, lb.FinalLine);

        // Every frame the XDP program redirected was either received by a worker or counted lost by the kernel.
        using JsonDocument final = JsonDocument.Parse(lb.FinalLine[ForwarderReport.Marker.Length..].Trim());
        JsonElement[] queues = final.RootElement.GetProperty("queues").EnumerateArray().ToArray();
        long received = queues.Sum(q => q.GetProperty("rx").GetInt64());
        long lost = queues.Sum(q => q.GetProperty("xsk").GetProperty("rx_dropped").GetInt64() + q.GetProperty("xsk").GetProperty("rx_ring_full").GetInt64());
        Assert.Equal(final.RootElement.GetProperty("xdp").GetProperty("redirected").GetInt64(), received + lost);
    }

    private static string Metrics(UnixApiClient api)
    {
        (int status, string body) = api.Send(HttpMethod.Get, "/metrics");
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>Frames the kernel could not put on an RX ring: the ring full, or dropped (no FILL entry, counted in rx_fill_ring_empty_descs too).</summary>
    private static double Overflow(string metrics) =>
        Sum(metrics, "forwarder_xsk_rx_ring_full_total") + Sum(metrics, "forwarder_xsk_rx_dropped_total");

    private static double Sum(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    [GeneratedRegex("\"xsk\":\\{\"rx_dropped\":\\d+,\"rx_invalid_descs\":0,\"tx_invalid_descs\":0,\"rx_ring_full\":\\d+,\"rx_fill_ring_empty_descs\":\\d+,\"tx_ring_empty_descs\":\\d+,\"read_failures\":0\\}")]
    private static partial Regex XskInFinal();
}
