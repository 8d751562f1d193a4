using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Health;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.Health;

/// <summary>The healthcheck key <c>via</c>: what it reads, what it refuses, and the targets it makes.</summary>
[SupportedOSPlatform("linux")]
public sealed class HealthCheckViaTests
{
    /// <summary>The outer sources gue needs, one line before <see cref="TestConfigs.Prelude"/> (VIPs then start on line 6).</summary>
    private const string GueSources = "gue: { source_v4: 10.0.0.254, source_v6: \"fc00::fe\" }\n";

    private static ForwarderConfig Valid(string mode, string via, string backends = "[{ address: 10.0.0.1, mac: 02:00:00:00:00:0a }]") =>
        TestConfigs.LoadValid(GueSources + TestConfigs.Prelude + $$"""
              - address: 10.100.0.1
                port: 80
                mode: {{mode}}
                backends: {{backends}}
                healthcheck: { type: http, path: /healthz, via: {{via}} }
            """);

    [Fact]
    public void Via_backend_is_the_default_and_keeps_probes_on_the_backend_address()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + """
              - address: 10.100.0.1
                port: 80
                backends: [{ address: 10.0.0.1 }]
                healthcheck: { type: tcp }
            """);
        Assert.Equal(HealthCheckVia.Backend, config.Vips[0].HealthCheck!.Via);
        HealthTarget target = Assert.Single(HealthTargets.Of(config));
        Assert.Null(target.Vip);
        Assert.Null(target.Route);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80), target.EndPoint);
        Assert.Empty(HealthTargets.RoutesOf(config));
    }

    [Theory]
    [InlineData("ipip", ForwardingMode.Ipip)]
    [InlineData("gue", ForwardingMode.Gue)]
    public void Via_vip_probes_the_vip_along_the_backend_route(string mode, ForwardingMode expected)
    {
        ForwarderConfig config = Valid(mode, "vip", "[{ address: 10.0.0.1 }, { address: 10.0.0.2 }]");
        Assert.Equal(HealthCheckVia.Vip, config.Vips[0].HealthCheck!.Via);
        IReadOnlyList<HealthTarget> targets = HealthTargets.Of(config);
        Assert.Equal(2, targets.Count);
        Assert.All(targets, t => Assert.Equal(new IPEndPoint(IPAddress.Parse("10.100.0.1"), 80), t.EndPoint));
        Assert.Equal(new ProbeRoute(IPAddress.Parse("10.0.0.2"), expected, null), targets[1].Route);
        Assert.Equal("10.0.0.1:80 http /healthz via vip 10.100.0.1", targets[0].ToString());
        Assert.Equal(2, HealthTargets.RoutesOf(config).Count);
        Assert.Contains("GET /healthz HTTP/1.1\r\nHost: 10.100.0.1\r\n", System.Text.Encoding.UTF8.GetString(HttpProbe.Request(targets[0])));
    }

    [Fact]
    public void Via_vip_under_dsr_l2_carries_the_backend_mac()
    {
        HealthTarget target = Assert.Single(HealthTargets.Of(Valid("dsr-l2", "vip")));
        Assert.Equal(ForwardingMode.DsrL2, target.Route!.Mode);
        Assert.Equal("02000000000A", target.Route.Mac!.ToString());
    }

    [Fact]
    public void Via_vip_under_nat_probes_the_backend_address_as_clients_reach_it()
    {
        ForwarderConfig config = Valid("nat", "vip", "[{ address: 10.0.0.1, port: 8080 }]");
        HealthTarget target = Assert.Single(HealthTargets.Of(config));
        Assert.Null(target.Route);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 8080), target.EndPoint);
        Assert.Empty(HealthTargets.RoutesOf(config));
    }

    [Fact]
    public void An_unknown_via_is_refused_with_the_choices()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { via: loopback }
            """);
        TestConfigs.AssertOnlyError(result, "vips[0].healthcheck.via", 8, 25, "'loopback' is not one of: backend, vip");
    }

    [Theory]
    [InlineData("ipip")]
    [InlineData("gue")]
    public void Via_vip_refuses_a_backend_of_another_family_than_the_vip(string mode)
    {
        ConfigLoadResult result = ForwarderConfigLoader.Load(GueSources + TestConfigs.Prelude + $$"""
              - address: 10.100.0.1
                port: 80
                mode: {{mode}}
                backends:
                  - address: 10.0.0.1
                  - address: "fc00::2"
                healthcheck: { via: vip }
            """);
        TestConfigs.AssertError(result, "vips[0].backends[1].address", 11, 18, "healthcheck via: vip cannot probe fc00::2 through 10.100.0.1");
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Via_backend_accepts_a_backend_of_another_family()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + """
              - address: 10.100.0.1
                port: 80
                backends: [{ address: 10.0.0.1 }, { address: "fc00::2" }]
                healthcheck: { via: backend }
            """);
        Assert.Equal(2, HealthTargets.Of(config).Count);
    }

    [Fact]
    public void The_writer_keeps_via_vip()
    {
        ForwarderConfig config = Valid("ipip", "vip", "[{ address: 10.0.0.1 }]");
        string written = ForwarderConfigWriter.Write(config);
        Assert.Contains("via: vip", written);
        Assert.Equal(config.Vips[0].HealthCheck, TestConfigs.LoadValid(written).Vips[0].HealthCheck);
    }

    [Fact]
    public async Task A_via_vip_probe_without_a_mark_is_not_sent_and_says_why()
    {
        HealthTarget target = Assert.Single(HealthTargets.Of(Valid("ipip", "vip", "[{ address: 10.0.0.1 }]")));
        ProbeResult unset = await new TcpProbe().ProbeAsync(target, CancellationToken.None);
        Assert.False(unset.Success);
        Assert.Contains("not sent", unset.Reason);

        ProbeResult refused = await new TcpProbe(marks: new NoMarks()).ProbeAsync(target, CancellationToken.None);
        Assert.False(refused.Success);
        Assert.Equal("not sent: the probe program is not attached", refused.Reason);
    }

    private sealed class NoMarks : IProbeMarks
    {
        public uint? MarkOf(ProbeRoute route, out string unavailable)
        {
            unavailable = "the probe program is not attached";
            return null;
        }
    }
}
