using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.Health;

/// <summary>The healthcheck keys <c>rise</c>, <c>fall</c> and <c>expect_status</c>, and the default timing.</summary>
[SupportedOSPlatform("linux")]
public sealed class HealthCheckSettingsTests
{
    [Fact]
    public void Rise_fall_and_expect_status_are_read()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + """
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { type: http, expect_status: 204, rise: 5, fall: 1, interval_ms: 50, timeout_ms: 40 }
            """);
        HealthCheckConfig check = config.Vips[0].HealthCheck!;
        Assert.Equal(204, check.ExpectStatus);
        Assert.Equal(5, check.Rise);
        Assert.Equal(1, check.Fall);
        Assert.Equal(TimeSpan.FromMilliseconds(50), check.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(40), check.Timeout);
    }

    [Fact]
    public void Bad_counts_and_a_status_for_tcp_are_refused_with_their_positions()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck:
                  type: tcp
                  expect_status: 200
                  rise: 0
                  fall: 101
                  rize: 3
            """);
        TestConfigs.AssertError(result, "vips[0].healthcheck.expect_status", 10, 22, "an expected status is used only by type: http");
        TestConfigs.AssertError(result, "vips[0].healthcheck.rise", 11, 13, "0 is out of range; expected a whole number from 1 to 100");
        TestConfigs.AssertError(result, "vips[0].healthcheck.fall", 12, 13, "101 is out of range; expected a whole number from 1 to 100");
        TestConfigs.AssertError(result, "vips[0].healthcheck.rize", 13, 7, "unknown key 'rize'; did you mean 'rise'?");
        Assert.Equal(4, result.Errors.Count);
    }

    [Theory]
    [InlineData("600", "600 is out of range; expected a whole number from 100 to 599")]
    [InlineData("99", "99 is out of range; expected a whole number from 100 to 599")]
    [InlineData("ok", "expected a whole number from 100 to 599, got 'ok'")]
    public void An_expected_status_is_a_status_code(string value, string message)
    {
        ConfigLoadResult result = TestConfigs.WithVips($$"""
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { type: http, expect_status: {{value}} }
            """);
        TestConfigs.AssertOnlyError(result, "vips[0].healthcheck.expect_status", 8, 47, message);
    }

    [Fact]
    public void A_timeout_longer_than_the_default_interval_asks_for_an_interval()
    {
        ConfigLoadResult result = TestConfigs.WithVips("""
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { timeout_ms: 200 }
            """);
        TestConfigs.AssertOnlyError(result, "vips[0].healthcheck.timeout_ms", 8, 32,
            "200 ms is longer than the default interval_ms (100 ms); a probe must end before the next starts, so give a longer interval_ms too");
    }

    [Fact]
    public void A_longer_interval_keeps_the_default_timeout()
    {
        ForwarderConfig config = TestConfigs.LoadValid(TestConfigs.Prelude + """
              - address: 10.100.0.1
                port: 80
                backends: []
                healthcheck: { interval_ms: 5000 }
            """);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.Vips[0].HealthCheck!.Timeout);
    }

    [Fact]
    public void The_defaults_take_a_dead_backend_out_within_500_ms_in_the_worst_case()
    {
        var check = new HealthCheckConfig();
        // The next probe is at most one interval away; then fall probes, the last one waiting its timeout.
        TimeSpan silentHost = check.Fall * check.Interval + check.Timeout;
        TimeSpan refused = check.Fall * check.Interval;
        Assert.True(silentHost <= TimeSpan.FromMilliseconds(300), $"silent host: {silentHost.TotalMilliseconds} ms");
        Assert.True(refused <= TimeSpan.FromMilliseconds(200), $"refused: {refused.TotalMilliseconds} ms");
        Assert.True(check.Timeout <= check.Interval);
    }
}
