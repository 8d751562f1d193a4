using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.ControlPlane;
using Forwarder.DataPlane;
using Forwarder.Tests.Api;
using Forwarder.Packets;
using Family = Forwarder.Tests.Metrics.StrictPrometheusParser.Family;

namespace Forwarder.Tests.Metrics;

/// <summary><c>GET /metrics</c>: valid text format, and every value the one the runtime and counters hold.</summary>
[SupportedOSPlatform("linux")]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private TestApi _api = null!;

    public async Task InitializeAsync() => _api = await TestApi.StartAsync(new TestForwarder(ApiConfigs.Base + ApiConfigs.SecondVip));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<IReadOnlyDictionary<string, Family>> Scrape()
    {
        using HttpResponseMessage response = await _api.Raw(HttpMethod.Get, "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return StrictPrometheusParser.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Value(IReadOnlyDictionary<string, Family> families, string name, params (string Name, string Value)[] labels)
    {
        Assert.True(families.TryGetValue(name, out Family? family), $"no family {name}");
        return Assert.Single(family!.Samples, s => labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value) && s.Labels.Count == labels.Length).Value;
    }

    [Fact]
    public async Task Every_line_follows_the_format()
    {
        IReadOnlyDictionary<string, Family> families = await Scrape();

        Assert.True(families.Count > 20);
        Assert.All(families.Values, f => Assert.StartsWith("forwarder_", f.Name, StringComparison.Ordinal));
        Assert.All(families.Values, f => Assert.NotEmpty(f.Help));
    }

    [Fact]
    public async Task Queue_counters_are_the_workers_by_queue_and_drops_by_reason()
    {
        IReadOnlyDictionary<string, Family> m = await Scrape();

        Assert.Equal(1000, Value(m, "forwarder_rx_packets_total", ("queue", "0")));
        Assert.Equal(128000, Value(m, "forwarder_rx_bytes_total", ("queue", "1")));
        Assert.Equal(990, Value(m, "forwarder_tx_packets_total", ("queue", "0")));
        Assert.Equal(140000, Value(m, "forwarder_tx_bytes_total", ("queue", "1")));
        Assert.Equal(40, Value(m, "forwarder_batches_total", ("queue", "0")));
        Assert.Equal(9, Value(m, "forwarder_empty_polls_total", ("queue", "1")));
        Assert.Equal(30, Value(m, "forwarder_tx_wakeups_total", ("queue", "0")));
        Assert.Equal(2, Value(m, "forwarder_tx_wakeups_again_total", ("queue", "0")));
        Assert.Equal(1, Value(m, "forwarder_tx_wakeup_errors_total", ("queue", "0")));
        Assert.Equal(3, Value(m, "forwarder_rx_wakeups_total", ("queue", "0")));
        Assert.Equal(11, Value(m, "forwarder_idle_waits_total", ("queue", "1")));
        Assert.Equal(3, Value(m, "forwarder_queue_core", ("queue", "1")));
        Assert.Equal(6, Value(m, "forwarder_drops_total", ("queue", "0"), ("reason", "unknown_vip")));
        Assert.Equal(4, Value(m, "forwarder_drops_total", ("queue", "0"), ("reason", "tx_ring_full")));
        Assert.Equal(0, Value(m, "forwarder_drops_total", ("queue", "1"), ("reason", "no_backend")));
        Assert.Equal(2 * (DropReasons.Count - 1), m["forwarder_drops_total"].Samples.Count); // every reason, every queue, zeros too
        Assert.DoesNotContain(m["forwarder_drops_total"].Samples, s => s.Labels["reason"] == "none");
    }

    [Fact]
    public async Task Xdp_counters_are_the_program_s()
    {
        IReadOnlyDictionary<string, Family> m = await Scrape();

        Assert.Equal(3100, Value(m, "forwarder_xdp_seen_packets_total"));
        Assert.Equal(3000, Value(m, "forwarder_xdp_redirected_packets_total"));
        Assert.Equal(90, Value(m, "forwarder_xdp_passed_packets_total"));
        Assert.Equal(7, Value(m, "forwarder_xdp_malformed_packets_total"));
        Assert.Equal(3, Value(m, "forwarder_xdp_no_socket_packets_total"));
        Assert.Equal(2, Value(m, "forwarder_xdp_host_passed_packets_total"));
        Assert.Equal(3, Value(m, "forwarder_host_addresses"));
        Assert.Equal(1, Value(m, "forwarder_host_address_sync_failures_total"));
        Assert.Equal(1, Value(m, "forwarder_interface_info", ("interface", "eth0")));
    }

    [Fact]
    public async Task Vip_and_backend_counters_match_the_runtime_s_totals_summed_over_workers()
    {
        ForwardingSnapshot snapshot = _api.Forwarder.Runtime.Snapshots.Current;
        for (int worker = 0; worker < 2; worker++)
        {
            LoadBalancerCounters c = snapshot.Counters[worker];
            for (int v = 0; v < c.VipPackets.Length; v++)
            {
                c.VipPackets[v] += 10 * (v + 1) + worker;
                c.VipBytes[v] += 1000 * (v + 1) + worker;
            }
            for (int b = 0; b < c.BackendPackets.Length; b++)
            {
                c.BackendPackets[b] += 3 * (b + 1) + worker;
                c.BackendBytes[b] += 300 * (b + 1) + worker;
                c.BackendReplyPackets[b] += 5 * (b + 1) + worker;
                c.BackendReplyBytes[b] += 500 * (b + 1) + worker;
            }
            c.EchoReplies += 2;
            c.NatReplies += 1;
        }

        IReadOnlyDictionary<string, Family> m = await Scrape();

        IReadOnlyList<VipTotals> totals = _api.Forwarder.Runtime.Totals();
        Assert.Equal(2, totals.Count);
        foreach (VipTotals vip in totals)
        {
            string label = VipIdentity.Of(vip.Vip).ToString();
            Assert.Equal(vip.Packets, Value(m, "forwarder_vip_packets_total", ("vip", label)));
            Assert.Equal(vip.Bytes, Value(m, "forwarder_vip_bytes_total", ("vip", label)));
            foreach (BackendTotals backend in vip.Backends)
            {
                Assert.Null(backend.Backend.Port);
                Assert.Equal(backend.Packets, Value(m, "forwarder_backend_packets_total", ("vip", label), ("backend", backend.Address.ToString())));
                Assert.Equal(backend.Bytes, Value(m, "forwarder_backend_bytes_total", ("vip", label), ("backend", backend.Address.ToString())));
                Assert.Equal(backend.ReplyPackets, Value(m, "forwarder_backend_reply_packets_total", ("vip", label), ("backend", backend.Address.ToString())));
                Assert.Equal(backend.ReplyBytes, Value(m, "forwarder_backend_reply_bytes_total", ("vip", label), ("backend", backend.Address.ToString())));
                Assert.True(backend.ReplyPackets > 0 && backend.ReplyPackets != backend.Packets);
            }
        }
        Assert.Equal(21, Value(m, "forwarder_vip_packets_total", ("vip", "10.100.0.1:80/tcp")));
        Assert.Equal(4, Value(m, "forwarder_echo_replies_total"));
        Assert.Equal(2, Value(m, "forwarder_nat_replies_total"));
        Assert.Equal(0, Value(m, "forwarder_too_big_answered_total"));
    }

    [Fact]
    public async Task Totals_survive_a_change_and_the_version_and_refusals_are_counted()
    {
        _api.Forwarder.Runtime.Snapshots.Current.Counters[0].VipPackets[0] += 5;
        ApiAssert.Applied(await _api.Send(HttpMethod.Put, $"{ApiConfigs.VipPath}/backends/10.0.0.1/weight", """{"weight": 4}"""));
        ApiAssert.Error(await _api.Send(HttpMethod.Put, $"{ApiConfigs.VipPath}/backends/10.0.0.1/weight", """{"weight": "x"}"""), 400);
        _api.Forwarder.Runtime.Snapshots.Current.Counters[1].VipPackets[0] += 1;

        IReadOnlyDictionary<string, Family> m = await Scrape();

        Assert.Equal(6, Value(m, "forwarder_vip_packets_total", ("vip", ApiConfigs.Vip)));
        Assert.Equal(2, Value(m, "forwarder_table_version"));
        Assert.Equal(1, Value(m, "forwarder_refused_changes_total"));
        Assert.Equal(4, Value(m, "forwarder_backend_weight", ("vip", ApiConfigs.Vip), ("backend", "10.0.0.1")));
        Assert.Equal(0, Value(m, "forwarder_api_faults_total"));
    }

    [Fact]
    public async Task Backend_health_is_1_when_up_and_0_when_marked_down()
    {
        var vip = new VipIdentity(IPAddress.Parse("10.100.0.1"), 80, VipProtocol.Tcp);
        _api.Forwarder.Runtime.SetHealth(vip, new BackendId(IPAddress.Parse("10.0.0.3"), null), healthy: false);

        IReadOnlyDictionary<string, Family> m = await Scrape();

        Assert.Equal(1, Value(m, "forwarder_backend_up", ("vip", ApiConfigs.Vip), ("backend", "10.0.0.1")));
        Assert.Equal(0, Value(m, "forwarder_backend_up", ("vip", ApiConfigs.Vip), ("backend", "10.0.0.3")));
        Assert.Equal(1, Value(m, "forwarder_backend_up", ("vip", "10.100.0.2:53/udp"), ("backend", "10.0.1.1")));
    }

    [Fact]
    public async Task Each_vip_s_table_digest_is_a_label_to_compare_across_nodes()
    {
        IReadOnlyDictionary<string, Family> m = await Scrape();

        Family info = m["forwarder_vip_table_info"];
        Assert.Equal("gauge", info.Type);
        StrictPrometheusParser.Sample first = info.Samples.Single(s => s.Labels["vip"] == ApiConfigs.Vip);
        Assert.Equal(_api.Forwarder.Runtime.Snapshots.Current.Vips[0].Digest, first.Labels["digest"]);
        Assert.Equal("ipip", first.Labels["mode"]);
    }

    [Fact]
    public async Task A_nat_address_listed_with_two_ports_is_two_series_told_apart_by_port()
    {
        string nat = new VipBuilder("10.100.0.3", 8443, "tcp").Mode("nat")
            .Backend("10.0.0.21", port: 443, weight: 2).Backend("10.0.0.21", port: 444, weight: 3).ToYaml();
        File.WriteAllText(_api.Forwarder.ConfigPath, ApiConfigs.Base + nat);
        ApiAssert.Applied(await _api.Send(HttpMethod.Post, "/reload"));

        var vip = new VipIdentity(IPAddress.Parse("10.100.0.3"), 8443, VipProtocol.Tcp);
        _api.Forwarder.Runtime.SetHealth(vip, new BackendId(IPAddress.Parse("10.0.0.21"), 443), healthy: false);
        ConfiguredVip configured = _api.Forwarder.Runtime.Published.Vips[1];
        VipEntry entry = configured.Entry;
        int slot444 = entry.Backends[configured.Backends.ToList().FindIndex(b => b.Port == 444)].CounterIndex;
        _api.Forwarder.Runtime.Snapshots.Current.Counters[0].BackendPackets[slot444] += 7;

        IReadOnlyDictionary<string, Family> m = await Scrape();

        const string natVip = "10.100.0.3:8443/tcp";
        Assert.Equal(2, Value(m, "forwarder_backend_weight", ("vip", natVip), ("backend", "10.0.0.21"), ("port", "443")));
        Assert.Equal(3, Value(m, "forwarder_backend_weight", ("vip", natVip), ("backend", "10.0.0.21"), ("port", "444")));
        Assert.Equal(0, Value(m, "forwarder_backend_up", ("vip", natVip), ("backend", "10.0.0.21"), ("port", "443")));
        Assert.Equal(1, Value(m, "forwarder_backend_up", ("vip", natVip), ("backend", "10.0.0.21"), ("port", "444")));
        Assert.Equal(0, Value(m, "forwarder_backend_packets_total", ("vip", natVip), ("backend", "10.0.0.21"), ("port", "443")));
        Assert.Equal(7, Value(m, "forwarder_backend_packets_total", ("vip", natVip), ("backend", "10.0.0.21"), ("port", "444")));
        Assert.Equal(1, Value(m, "forwarder_backend_up", ("vip", ApiConfigs.Vip), ("backend", "10.0.0.1"))); // no port, no port label
    }
}
