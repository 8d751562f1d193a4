using System.Net;
using System.Runtime.Versioning;
using Forwarder.Configuration;
using Forwarder.Health;
using Forwarder.Health.ViaVip;
using Forwarder.Packets;
using Forwarder.Tests.Configuration;

namespace Forwarder.Tests.Health;

/// <summary>The steering of via-vip probes without a kernel: no program when none is asked for, a clear reason when it cannot attach.</summary>
[SupportedOSPlatform("linux")]
public sealed class VipProbeSteeringTests
{
    private static ForwarderConfig Config(string via) => TestConfigs.LoadValid(TestConfigs.Prelude + $$"""
          - address: 10.100.0.1
            port: 80
            backends: [{ address: 10.0.0.1 }]
            healthcheck: { via: {{via}} }
        """);

    [Fact]
    public void Without_a_via_vip_check_nothing_is_attached()
    {
        int attempts = 0;
        using var steering = new VipProbeSteering(() => { attempts++; throw new InvalidOperationException("not expected"); });
        steering.Update(Config("backend"));
        Assert.Equal(0, attempts);
        Assert.Null(steering.Unavailable);
        Assert.Null(steering.Program);
    }

    [Fact]
    public void A_program_that_cannot_attach_fails_every_via_vip_probe_with_the_reason_and_is_retried_on_the_next_change()
    {
        int attempts = 0;
        using var steering = new VipProbeSteering(() => { attempts++; throw new FileNotFoundException("bpf/healthcheck.o not found"); });
        steering.Update(Config("vip"));
        Assert.Equal(1, attempts);
        Assert.Equal("via: vip probes cannot be sent: bpf/healthcheck.o not found", steering.Unavailable);
        var route = new ProbeRoute(IPAddress.Parse("10.0.0.1"), ForwardingMode.Ipip, null);
        Assert.Null(steering.MarkOf(route, out string why));
        Assert.Equal(steering.Unavailable, why);

        steering.Update(Config("vip"));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_probe_through_a_steering_that_cannot_attach_is_not_sent()
    {
        using var steering = new VipProbeSteering(() => throw new UnauthorizedAccessException("Operation not permitted"));
        ForwarderConfig config = Config("vip");
        steering.Update(config);
        ProbeResult result = await new ProbeByKind(marks: steering).ProbeAsync(Assert.Single(HealthTargets.Of(config)), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal("not sent: via: vip probes cannot be sent: Operation not permitted", result.Reason);
    }
}
