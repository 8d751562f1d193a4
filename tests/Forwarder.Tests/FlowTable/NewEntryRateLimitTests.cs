using System.Runtime.Versioning;
using Forwarder.FlowTable;

namespace Forwarder.Tests.FlowTable;

/// <summary>The per-second bound on new entries: exactly at the limit, across the window's end and across the tick wrap.</summary>
[SupportedOSPlatform("linux")]
public sealed class NewEntryRateLimitTests
{
    [Fact]
    public void The_limit_admits_exactly_max_in_one_second_and_counts_the_rest()
    {
        var limit = new NewEntryRateLimit(3);
        const uint start = 5000;
        Assert.True(limit.TryTake(start));
        Assert.True(limit.TryTake(start + 10));
        Assert.True(limit.TryTake(start + 999));
        Assert.False(limit.TryTake(start + 999));
        Assert.False(limit.TryTake(start + 999));
        Assert.Equal(2, limit.Refused);
    }

    [Fact]
    public void A_new_window_opens_exactly_one_second_after_the_first()
    {
        var limit = new NewEntryRateLimit(2);
        const uint start = 70_000;
        Assert.True(limit.TryTake(start));
        Assert.True(limit.TryTake(start + 1));
        Assert.False(limit.TryTake(start + FlowClock.TicksPerSecond - 1)); // still the first window
        Assert.True(limit.TryTake(start + FlowClock.TicksPerSecond));       // the next one: a fresh budget
        Assert.True(limit.TryTake(start + FlowClock.TicksPerSecond + 500));
        Assert.False(limit.TryTake(start + FlowClock.TicksPerSecond + 999));
        Assert.Equal(2, limit.Refused);
    }

    [Fact]
    public void The_window_is_measured_across_the_wrap_of_the_tick_counter()
    {
        var limit = new NewEntryRateLimit(1);
        uint start = uint.MaxValue - 400; // the window straddles the wrap
        Assert.True(limit.TryTake(start));
        Assert.False(limit.TryTake(start + 300));
        Assert.False(limit.TryTake(unchecked(start + 999))); // after the wrap, still within the second
        Assert.True(limit.TryTake(unchecked(start + 1000)));
        Assert.Equal(2, limit.Refused);
    }

    [Fact]
    public void The_first_window_opens_whatever_the_clock_reads()
    {
        var limit = new NewEntryRateLimit(1);
        Assert.True(limit.TryTake(0));
        Assert.False(limit.TryTake(1));
        var other = new NewEntryRateLimit(1);
        Assert.True(other.TryTake(uint.MaxValue));
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        var limit = new NewEntryRateLimit(0);
        for (int i = 0; i < 100_000; i++)
            Assert.True(limit.TryTake(42));
        Assert.Equal(0, limit.Refused);
    }

    [Fact]
    public void A_negative_limit_is_refused_by_the_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NewEntryRateLimit(-1));
        Assert.Contains(new ConnectionTableOptions { MaxNewPerSecond = -1 }.Validate(), p => p.Contains("new connections per second", StringComparison.Ordinal));
        Assert.Contains(new ConnectionTableOptions { MaxNewPerSecond = ConnectionTableOptions.MaxNewPerSecondLimit + 1 }.Validate(), p => p.Contains("new connections per second", StringComparison.Ordinal));
        Assert.Empty(new ConnectionTableOptions { MaxNewPerSecond = 1000 }.Validate());
    }
}
