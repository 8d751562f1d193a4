using System.Runtime.Versioning;
using Forwarder.Liveness;

namespace Forwarder.Tests.Liveness;

/// <summary>When a drain ends: after the quiet time without a VIP packet, or at the maximum.</summary>
[SupportedOSPlatform("linux")]
public sealed class DrainTimerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2), Max = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(50);

    [Fact]
    public void Without_traffic_it_ends_quiet_after_the_quiet_time()
    {
        var timer = new DrainTimer(Quiet, Max, Start, packetsAtStart: 1000);

        Assert.Null(timer.Check(Start + TimeSpan.FromSeconds(1.99), 1000));
        Assert.Equal(DrainEnd.Quiet, timer.Check(Start + Quiet, 1000));
    }

    [Fact]
    public void Each_arriving_packet_starts_the_quiet_time_again()
    {
        var timer = new DrainTimer(Quiet, Max, Start, 0);

        Assert.Null(timer.Check(Start + TimeSpan.FromSeconds(1.5), 5));
        Assert.Null(timer.Check(Start + TimeSpan.FromSeconds(3), 5));
        Assert.Equal(DrainEnd.Quiet, timer.Check(Start + TimeSpan.FromSeconds(3.5), 5));
    }

    [Fact]
    public void Steady_traffic_ends_it_at_the_maximum()
    {
        var timer = new DrainTimer(Quiet, Max, Start, 0);
        long packets = 0;
        DrainEnd? end = null;
        TimeSpan at = Start;
        while (end is null && at < Start + TimeSpan.FromSeconds(60))
        {
            at += TimeSpan.FromMilliseconds(50);
            end = timer.Check(at, packets += 10);
        }

        Assert.Equal(DrainEnd.Max, end);
        Assert.Equal(Start + Max, at);
    }
}
